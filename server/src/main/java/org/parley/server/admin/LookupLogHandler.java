// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.admin;

import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.parley.protocol.LookupLogEntryView;
import org.parley.protocol.LookupLogPage;
import org.parley.server.accounts.Accounts;
import org.parley.server.audit.AuditLog;
import org.parley.server.http.HttpJson;
import org.parley.server.lookuplog.LookupLog;

/**
 * {@code GET /v1/admin/lookup-log}: the operator's view of the lookup log, both kinds of entry (plain
 * lookups and private lookups' bucket fetches), oldest first.
 */
final class LookupLogHandler {
    /** Always with milliseconds, so every entry's time has the same shape. */
    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSX").withZone(ZoneOffset.UTC);

    /** Part of the answer, not only of the docs: an operator answering "who looked up X" must see it. */
    static final String HANDLE_NOTE = "plain lookups only: a private lookup never sends the handle to the server"
            + " (it fetches a bucket of at least lookup.private.min-bucket handles), so private lookups of this"
            + " handle are not recorded as such and no filter can find them";

    private final OperatorAuthenticator operators;
    private final LookupLog log;
    private final Accounts accounts;
    private final AuditLog audit;

    LookupLogHandler(OperatorAuthenticator operators, LookupLog log, Accounts accounts, AuditLog audit) {
        this.operators = operators;
        this.log = log;
        this.accounts = accounts;
        this.audit = audit;
    }

    /** {@code GET /v1/admin/lookup-log}, for an admin (the route checks the token). */
    void handle(ServerRequest req, ServerResponse res, Operator operator) {
        // Raw (still percent-encoded) values: the parser decodes them itself, strictly.
        Map<String, List<String>> raw = new java.util.LinkedHashMap<>();
        req.query().names().forEach(name -> raw.put(name, req.query().getAllRaw(name)));
        LookupLog.Query query = LookupLogQueryParams.parse(raw);
        List<LookupLog.LoggedLookup> found = log.query(query);
        // The read is audited before any data leaves: no entry, no answer.
        Map<String, String> details = new HashMap<>();
        details.put("handle", query.queriedHandle());
        details.put("requester", query.requesterHandle());
        details.put("since", query.since() == null ? null : query.since().toString());
        details.put("until", query.until() == null ? null : query.until().toString());
        details.put("limit", Integer.toString(query.limit()));
        details.put("returned", Integer.toString(found.size()));
        audit.append(operator.name(), "lookup-log.read", details);
        // One account usually asks many times: resolve each requester's handle once per page.
        Map<String, String> handles = new HashMap<>();
        List<LookupLogEntryView> views = new ArrayList<>(found.size());
        for (LookupLog.LoggedLookup e : found) {
            String requesterHandle = handles.computeIfAbsent(e.requesterAccountId(),
                    id -> accounts.handleOf(id).orElse(null));
            LookupLog.Bucket b = e.bucket();
            views.add(new LookupLogEntryView(e.id(), TIME.format(Instant.ofEpochMilli(e.timeMs())), e.timeMs(),
                    e.requesterAccountId(), e.requesterDeviceId(), requesterHandle, e.queriedHandle(), e.route(),
                    e.clientIp(), e.kind().wire(), b == null ? null : b.keyId(), b == null ? null : b.prefixBits(),
                    b == null ? null : b.prefix()));
        }
        HttpJson.ok(res, new LookupLogPage(views, query.queriedHandle() == null ? null : HANDLE_NOTE));
    }
}
