// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.admin;

import io.helidon.common.uri.UriQuery;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.parley.protocol.AuditEntryView;
import org.parley.protocol.AuditPage;
import org.parley.protocol.AuditVerificationReport;
import org.parley.server.audit.AuditEntry;
import org.parley.server.audit.AuditLog;
import org.parley.server.audit.AuditTrail;
import org.parley.server.http.HttpJson;
import org.parley.server.errors.InvalidRequest;

/**
 * {@code GET /v1/admin/audit} (pages, oldest first) and {@code GET /v1/admin/audit/verify} (the chain
 * check), for the auditor and admin roles. Both reads are themselves audited, because the log's
 * details name handles an operator asked about. There is no route that changes or deletes entries.
 */
final class AuditHandlers {
    static final OperatorRole[] READERS = {OperatorRole.AUDITOR, OperatorRole.ADMIN};
    private static final int DEFAULT_LIMIT = 100;
    private static final Set<String> PARAMS = Set.of("after", "limit");
    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSX").withZone(ZoneOffset.UTC);

    private final OperatorAuthenticator operators;
    private final AuditTrail trail;
    private final AuditLog audit;

    AuditHandlers(OperatorAuthenticator operators, AuditTrail trail, AuditLog audit) {
        this.operators = operators;
        this.trail = trail;
        this.audit = audit;
    }

    void list(ServerRequest req, ServerResponse res, Operator operator) {
        UriQuery query = req.query();
        for (String name : query.names()) {
            if (!PARAMS.contains(name)) {
                throw new InvalidRequest("unknown query parameter '" + name + "'; use after and limit");
            }
        }
        long after = number(query, "after", 0, Long.MAX_VALUE, 0);
        int limit = (int) number(query, "limit", 1, AuditTrail.MAX_PAGE, DEFAULT_LIMIT);
        List<AuditEntry> entries = trail.page(after, limit);
        audit.append(operator.name(), "audit.read", Map.of("after", Long.toString(after), "limit", Integer.toString(limit),
                "returned", Integer.toString(entries.size())));
        List<AuditEntryView> views = new ArrayList<>(entries.size());
        for (AuditEntry e : entries) {
            views.add(view(e));
        }
        Long next = entries.size() == limit ? entries.getLast().seq() : null;
        HttpJson.ok(res, new AuditPage(views, next));
    }

    void verify(ServerRequest req, ServerResponse res, Operator operator) {
        if (!req.query().names().isEmpty()) {
            throw new InvalidRequest("GET /v1/admin/audit/verify takes no query parameters");
        }
        // Verify first, then record the check: the report covers the chain as the auditor asked for it.
        AuditVerificationReport report = trail.verify();
        audit.append(operator.name(), "audit.verify", Map.of("intact", Boolean.toString(report.intact()),
                "headSeq", Long.toString(report.headSeq())));
        HttpJson.ok(res, report);
    }

    static AuditEntryView view(AuditEntry e) {
        return new AuditEntryView(e.seq(), TIME.format(e.time()), e.time().toEpochMilli(), e.actor(), e.action(),
                e.details(), e.prevHash(), e.hash());
    }

    private static long number(UriQuery query, String name, long min, long max, long otherwise) {
        if (!query.contains(name)) {
            return otherwise;
        }
        List<String> values = query.all(name);
        if (values.size() != 1) {
            throw new InvalidRequest("give " + name + " at most once");
        }
        try {
            long v = Long.parseLong(values.getFirst().strip());
            if (v >= min && v <= max) {
                return v;
            }
        } catch (NumberFormatException e) {
            // falls through to the message below
        }
        throw new InvalidRequest(name + " must be a whole number in " + min + ".." + (max == Long.MAX_VALUE ? "" : max));
    }
}
