// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.subjectaccess;

import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.util.Map;
import org.parley.protocol.AccessKeyStatus;
import org.parley.protocol.PreKeyCounts;
import org.parley.server.feature.Feature;
import org.parley.server.feature.ServerContext;
import org.parley.server.accounts.AccountRecords;
import org.parley.server.http.AuthenticatedDevice;
import org.parley.server.http.DeviceAuthenticator;
import org.parley.server.http.HttpJson;
import org.parley.server.lookuplog.LookupLog;
import org.parley.server.transparency.DisclosureNotices;
import org.parley.server.http.Routes;

/**
 * {@code GET /v1/me/data}: any device of an account gets everything the server holds about that
 * account (see {@link SubjectAccess}). Device Basic auth, as every other {@code /v1} endpoint.
 */
public final class SubjectAccessFeature implements Feature {
    /** A device's one-time prekey counts (the keys feature). */
    @FunctionalInterface
    public interface PreKeyCounter {
        PreKeyCounts counts(String accountId, int deviceId);
    }

    /** Queued envelopes per device of an account (the messages feature). */
    @FunctionalInterface
    public interface QueueCounter {
        Map<Integer, Long> countByDevice(String accountId);
    }

    /** An account's sealed-sender setting, never its key (the sealed-sender feature). */
    @FunctionalInterface
    public interface AccessKeyStatuses {
        AccessKeyStatus status(String accountId);
    }

    private final SubjectAccess access;
    private final DeviceAuthenticator auth;

    private SubjectAccessFeature(SubjectAccess access, DeviceAuthenticator auth) {
        this.access = access;
        this.auth = auth;
    }

    /**
     * Subject access reads other features' data but imports none of their insides: the wiring hands
     * it what it reads as function references ({@code keys::counts}, {@code queues::countByDevice},
     * {@code sealedSender::accessKeyStatus}). The lookup log carries both kinds of lookup.
     *
     * @param disclosures the legal register's notices, or {@link DisclosureNotices#NONE} on a server
     *                    without one
     */
    public static SubjectAccessFeature create(ServerContext ctx, AccountRecords accounts, PreKeyCounter preKeys,
                                              QueueCounter queues, LookupLog lookupLog, DisclosureNotices disclosures,
                                              AccessKeyStatuses sealedSender, DeviceAuthenticator auth) {
        return new SubjectAccessFeature(new SubjectAccess(accounts, preKeys, queues, lookupLog,
                disclosures, sealedSender, ctx.config().lookupLog(), ctx.clock()), auth);
    }

    @Override
    public void routing(HttpRouting.Builder routing) {
        routing.register("/v1/me/data", rules -> rules.get("/", Routes.device(auth, this::myData)));
    }

    private void myData(ServerRequest req, ServerResponse res, AuthenticatedDevice device) {
        HttpJson.ok(res, access.export(device.accountId()));
    }
}
