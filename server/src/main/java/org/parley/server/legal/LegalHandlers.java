// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.legal;

import io.helidon.common.media.type.MediaTypes;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.time.Clock;
import java.util.function.BiFunction;
import org.parley.protocol.LegalIntakeRequest;
import org.parley.protocol.LegalReason;
import org.parley.protocol.LegalRequestList;
import org.parley.protocol.LegalRequestView;
import org.parley.protocol.LegalSigningKey;
import org.parley.protocol.UserNotices;
import org.parley.server.admin.Operator;
import org.parley.server.admin.OperatorAuthenticator;
import org.parley.server.admin.OperatorRole;
import org.parley.server.http.Routes;
import org.parley.server.http.DeviceAuthenticator;
import org.parley.server.http.HeadRequests;
import org.parley.server.http.HttpJson;
import org.parley.server.errors.InvalidRequest;
import org.parley.server.http.AuthenticatedDevice;
import org.parley.server.admin.OperatorRoutes;

/**
 * The register's HTTP routes and who may call each one:
 * <ul>
 * <li>register a request, place/extend/release holds, produce, download: admin or legal-reviewer
 * <li>approve, reject, record the review of an emergency request: legal-reviewer only
 * <li>list and read the register: admin or legal-reviewer. Not auditor: the register names target
 * handles, and auditors see no user data (they follow the register through the audit log, whose
 * legal entries carry request ids, types and counts only)
 * </ul>
 */
final class LegalHandlers {
    private static final OperatorRole[] HANDLERS = {OperatorRole.ADMIN, OperatorRole.LEGAL_REVIEWER};
    private static final OperatorRole[] REVIEWERS = {OperatorRole.LEGAL_REVIEWER};
    static final String BASE = "/v1/admin/legal/requests";

    private final LegalRegister register;
    private final TransparencyReports reports;
    private final OperatorAuthenticator operators;
    private final DeviceAuthenticator devices;
    private final Clock clock;

    LegalHandlers(LegalRegister register, TransparencyReports reports, OperatorAuthenticator operators,
                  DeviceAuthenticator devices, Clock clock) {
        this.register = register;
        this.reports = reports;
        this.operators = operators;
        this.devices = devices;
        this.clock = clock;
    }

    void routing(HttpRouting.Builder routing) {
        // Operator endpoints, each declaring the roles that may use it.
        routing.register(BASE, rules -> rules
                .post("/", operator(HANDLERS, this::intake))
                .get("/", operator(HANDLERS, this::list))
                .get("/{id}", action(HANDLERS, (op, req) -> register.find(id(req))))
                .post("/{id}/approve", action(REVIEWERS, (op, req) -> register.approve(op, id(req))))
                .post("/{id}/reject", action(REVIEWERS, (op, req) -> register.reject(op, id(req), reason(req))))
                .post("/{id}/review", action(REVIEWERS, (op, req) -> register.review(op, id(req), reason(req))))
                .post("/{id}/hold", action(HANDLERS, (op, req) -> register.hold(op, id(req))))
                .post("/{id}/hold/extend", action(HANDLERS, (op, req) -> register.extend(op, id(req))))
                .post("/{id}/hold/release", action(HANDLERS, (op, req) -> register.release(op, id(req), reason(req))))
                .post("/{id}/produce", action(HANDLERS, (op, req) -> register.produce(op, id(req))))
                .get("/{id}/package", operator(HANDLERS, this::download)));
        // Public, and the account owner's (device authentication).
        routing.get("/.well-known/parley/legal-signing-key", this::signingKey)
                .get("/v1/me/notices", Routes.device(devices, this::notices))
                .get("/v1/transparency/report", this::report);
    }

    private io.helidon.webserver.http.Handler operator(OperatorRole[] roles, OperatorRoutes.OperatorHandler handler) {
        return OperatorRoutes.operator(operators, roles, handler);
    }

    private void intake(ServerRequest req, ServerResponse res, Operator op) {
        IntakeForm form = IntakeForm.parse(HttpJson.read(req, LegalIntakeRequest.class));
        LegalRequest created = register.intake(op, form);
        HttpJson.send(res, Status.CREATED_201, view(created));
    }

    private void list(ServerRequest req, ServerResponse res, Operator op) {
        if (!req.query().isEmpty()) {
            throw new InvalidRequest("this endpoint takes no query parameters");
        }
        HttpJson.ok(res, new LegalRequestList(register.all().stream().map(this::view).toList()));
    }

    private io.helidon.webserver.http.Handler action(OperatorRole[] roles,
                                                     BiFunction<Operator, ServerRequest, LegalRequest> action) {
        return operator(roles, (req, res, op) -> ok(res, action.apply(op, req)));
    }

    private void ok(ServerResponse res, LegalRequest request) {
        HttpJson.ok(res, view(request));
    }

    private LegalRequestView view(LegalRequest r) {
        return LegalViews.view(r, register.holds(r.id()), clock.millis());
    }

    private void download(ServerRequest req, ServerResponse res, Operator op) {
        long id = id(req);
        byte[] zip = register.download(op, id);
        res.status(Status.OK_200);
        res.headers().contentType(MediaTypes.create("application", "zip"));
        res.headers().set(HeaderNames.CONTENT_DISPOSITION, "attachment; filename=\"parley-disclosure-" + id + ".zip\"");
        res.headers().set(HeaderNames.CACHE_CONTROL, "no-store");
        HeadRequests.send(res, zip);
    }

    private void signingKey(ServerRequest req, ServerResponse res) {
        SigningKey key = register.signingKey();
        HttpJson.ok(res, new LegalSigningKey("Ed25519", key.publicKeyPem(), key.fingerprint()));
    }

    private void notices(ServerRequest req, ServerResponse res, AuthenticatedDevice device) {
        String accountId = device.accountId();
        HttpJson.ok(res, new UserNotices(register.notices(accountId, clock.instant()).stream()
                .map(LegalViews::notice).toList()));
    }

    private void report(ServerRequest req, ServerResponse res) {
        for (String name : req.query().names()) {
            if (!name.equals("period")) {
                throw new InvalidRequest("unknown query parameter '" + name + "'; use period");
            }
        }
        if (req.query().contains("period") && req.query().all("period").size() != 1) {
            throw new InvalidRequest("give period once");
        }
        String period = req.query().contains("period") ? req.query().get("period") : null;
        HttpJson.ok(res, reports.report(ReportPeriod.parse(period)));
    }

    private static long id(ServerRequest req) {
        String raw = req.path().pathParameters().get("id");
        try {
            long id = Long.parseLong(raw);
            if (id > 0) {
                return id;
            }
        } catch (NumberFormatException e) {
            // falls through to the 400 below
        }
        throw new InvalidRequest("the request id must be a positive whole number, was '"
                + (raw.length() > 20 ? raw.substring(0, 20) + "..." : raw) + "'");
    }

    /** The reason of a reject/release/review body. */
    private static String reason(ServerRequest req) {
        return HttpJson.read(req, LegalReason.class).reason();
    }
}
