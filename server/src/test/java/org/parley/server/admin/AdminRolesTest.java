// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.protocol.Json;
import org.parley.protocol.Route;
import org.parley.server.audit.AuditEntry;
import org.parley.server.audit.AuditFeature;
import org.parley.server.lookuplog.LookupLog;
import org.parley.server.lookuplog.LookupLogFeature;
import org.parley.server.testing.LookupTestAccounts;
import org.parley.server.testing.LookupTestEnvironment;

/** Every operator endpoint against every role, token revocation, and the audit entries reads leave. */
class AdminRolesTest {
    /** Each operator endpoint and the roles it accepts; every other role must get 403. */
    private static final Map<String, Set<OperatorRole>> ENDPOINTS = Map.of(
            "/v1/admin/lookup-log", Set.of(OperatorRole.ADMIN),
            "/v1/admin/audit", Set.of(OperatorRole.ADMIN, OperatorRole.AUDITOR),
            "/v1/admin/audit/verify", Set.of(OperatorRole.ADMIN, OperatorRole.AUDITOR));

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newHttpClient();
    private final LookupTestAccounts accounts = new LookupTestAccounts();
    private LookupTestEnvironment env;
    private AuditFeature audit;
    private HostTokens hostTokens;
    private URI base;
    private final Map<OperatorRole, String> tokens = new java.util.EnumMap<>(OperatorRole.class);

    @BeforeEach
    void start() throws Exception {
        env = new LookupTestEnvironment(dir);
        audit = AuditFeature.create(env.ctx);
        LookupLog log = LookupLogFeature.create(env.ctx, accounts).log();
        base = env.serve(AdminFeature.create(env.ctx, log, accounts, audit));
        hostTokens = new HostTokens(env.database, audit.log(), env.clock, new SecureRandom());
        tokens.put(OperatorRole.ADMIN, Files.readString(dir.resolve("admin.token")).strip());
        tokens.put(OperatorRole.LEGAL_REVIEWER, hostTokens.create("host:tester", "rita", "legal-reviewer"));
        tokens.put(OperatorRole.AUDITOR, hostTokens.create("host:tester", "otto", "auditor"));
        String alice = accounts.add("+12025550143", 1);
        log.record(List.of(new LookupLog.Entry(alice, 1, "bob@example.org", Route.PARLEY, null)));
    }

    @AfterEach
    void close() {
        env.close();
    }

    private HttpResponse<String> get(String path, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).GET();
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(HttpResponse<String> r) throws Exception {
        return Json.lenient().readTree(r.body());
    }

    @Test
    void everyEndpoint_everyRole_allowedOr403() throws Exception {
        for (var endpoint : ENDPOINTS.entrySet()) {
            for (OperatorRole role : OperatorRole.values()) {
                HttpResponse<String> r = get(endpoint.getKey(), tokens.get(role));
                String what = endpoint.getKey() + " as " + role.wire() + ": " + r.body();
                if (endpoint.getValue().contains(role)) {
                    assertEquals(200, r.statusCode(), what);
                } else {
                    assertEquals(403, r.statusCode(), what);
                    assertEquals("forbidden", json(r).get("error").asText(), what);
                    String message = json(r).get("message").asText();
                    for (OperatorRole allowed : endpoint.getValue()) {
                        assertTrue(message.contains(allowed.wire()), message);
                    }
                    assertFalse(r.body().contains(tokens.get(role)), "the token is never echoed");
                }
            }
            assertEquals(401, get(endpoint.getKey(), null).statusCode());
            assertEquals(401, get(endpoint.getKey(), "not-a-token").statusCode());
        }
    }

    @Test
    void forbidden_isDecidedBeforeTheQueryIsParsed() throws Exception {
        HttpResponse<String> r = get("/v1/admin/lookup-log?since=garbage", tokens.get(OperatorRole.AUDITOR));
        assertEquals(403, r.statusCode(), r.body());
    }

    @Test
    void revokedToken_is401FromTheNextRequest() throws Exception {
        assertEquals(200, get("/v1/admin/audit", tokens.get(OperatorRole.AUDITOR)).statusCode());
        hostTokens.revoke("host:tester", "otto");
        HttpResponse<String> r = get("/v1/admin/audit", tokens.get(OperatorRole.AUDITOR));
        assertEquals(401, r.statusCode(), r.body());
        assertThrows(IllegalArgumentException.class, () -> hostTokens.revoke("host:tester", "otto"));
        IllegalArgumentException reused = assertThrows(IllegalArgumentException.class,
                () -> hostTokens.create("host:tester", "otto", "auditor"));
        assertTrue(reused.getMessage().contains("revoked"), reused.getMessage());
        var listed = hostTokens.list().stream().filter(t -> t.name().equals("otto")).findFirst().orElseThrow();
        assertTrue(listed.revokedAt() != null);
    }

    @Test
    void hostTokens_badInput_isRefusedClearly() {
        assertThrows(IllegalArgumentException.class, () -> hostTokens.create("host:t", "Bad Name", "admin"));
        assertThrows(IllegalArgumentException.class, () -> hostTokens.create("host:t", "system", "admin"));
        assertThrows(IllegalArgumentException.class, () -> hostTokens.create("host:t", "ok", "root"));
        assertThrows(IllegalArgumentException.class, () -> hostTokens.create("host:t", "rita", "auditor"));
    }

    @Test
    void lookupLogRead_isAuditedWithTheOperatorAndFilters() throws Exception {
        HttpResponse<String> r = get("/v1/admin/lookup-log?handle=bob@example.org&limit=5", tokens.get(OperatorRole.ADMIN));
        assertEquals(200, r.statusCode(), r.body());
        AuditEntry last = audit.trail().page(0, 1000).getLast();
        assertEquals("admin", last.actor());
        assertEquals("lookup-log.read", last.action());
        assertEquals("bob@example.org", last.details().get("handle"));
        assertEquals("5", last.details().get("limit"));
        assertEquals("1", last.details().get("returned"));
        // A refused read leaves no lookup-log.read entry.
        long before = audit.trail().headSeq();
        get("/v1/admin/lookup-log", tokens.get(OperatorRole.AUDITOR));
        assertEquals(before, audit.trail().headSeq());
    }

    @Test
    void tokenChanges_areAuditedWithTheHostActor() {
        List<AuditEntry> entries = audit.trail().page(0, 1000);
        assertEquals("system", entries.get(0).actor());
        assertEquals("token.create", entries.get(0).action());
        assertEquals(Map.of("name", "rita", "role", "legal-reviewer"), entries.get(1).details());
        assertEquals("host:tester", entries.get(1).actor());
        hostTokens.revoke("host:tester", "rita");
        AuditEntry last = audit.trail().page(0, 1000).getLast();
        assertEquals("token.revoke", last.action());
        assertEquals("rita", last.details().get("name"));
    }

    @Test
    void auditApi_pagesAndVerifies() throws Exception {
        String auditor = tokens.get(OperatorRole.AUDITOR);
        JsonNode page = json(get("/v1/admin/audit?limit=2", auditor));
        assertEquals(2, page.get("entries").size());
        assertEquals(2, page.get("nextAfter").asLong());
        assertEquals(1, page.get("entries").get(0).get("seq").asLong());
        JsonNode rest = json(get("/v1/admin/audit?after=2&limit=1000", auditor));
        assertEquals(3, rest.get("entries").get(0).get("seq").asLong());
        assertTrue(rest.get("nextAfter").isNull());
        JsonNode report = json(get("/v1/admin/audit/verify", auditor));
        assertTrue(report.get("intact").asBoolean(), report.toString());
        assertTrue(report.get("brokenAtSeq").isNull());
        assertEquals(400, get("/v1/admin/audit?limit=0", auditor).statusCode());
        assertEquals(400, get("/v1/admin/audit?after=x", auditor).statusCode());
        assertEquals(400, get("/v1/admin/audit?delete=1", auditor).statusCode());
    }

    @Test
    void auditApi_offersNoWayToDelete() throws Exception {
        for (String method : List.of("DELETE", "POST", "PUT")) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(base.resolve("/v1/admin/audit"))
                    .header("Authorization", "Bearer " + tokens.get(OperatorRole.ADMIN))
                    .method(method, HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            assertTrue(r.statusCode() == 404 || r.statusCode() == 405, method + " " + r.statusCode());
        }
        assertTrue(audit.trail().verify().intact());
    }
}
