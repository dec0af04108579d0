// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.protocol.Json;
import org.parley.protocol.Route;
import org.parley.server.audit.AuditFeature;
import org.parley.server.lookuplog.LookupLog;
import org.parley.server.lookuplog.LookupLogFeature;
import org.parley.server.testing.LookupTestAccounts;
import org.parley.server.testing.LookupTestEnvironment;

class AdminLookupLogApiTest {
    private static final String ALICE = "+12025550143";
    private static final String BOB = "bob@example.org";
    private static final String CAROL = "carol@example.org";

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newHttpClient();
    private final LookupTestAccounts accounts = new LookupTestAccounts();
    private LookupTestEnvironment env;
    private URI base;
    private String token;
    private String aliceId;

    @BeforeEach
    void start() throws Exception {
        env = new LookupTestEnvironment(dir);
        LookupLog log = LookupLogFeature.create(env.ctx, accounts).log();
        base = env.serve(AdminFeature.create(env.ctx, log, accounts, AuditFeature.create(env.ctx)));
        token = Files.readString(dir.resolve("admin.token")).strip();

        aliceId = accounts.add(ALICE, 1);
        String carolId = accounts.add(CAROL, 2);
        InetAddress ip = InetAddress.getByName("203.0.113.7");
        log.record(List.of(new LookupLog.Entry(aliceId, 1, BOB, Route.PARLEY, ip)));            // 2026-11-27T10:00Z
        env.clock.advance(Duration.ofDays(1));
        log.record(List.of(new LookupLog.Entry(carolId, 2, BOB, Route.PARLEY, null),             // 2026-11-28T10:00Z
                new LookupLog.Entry(carolId, 2, ALICE, Route.PARLEY, null)));
        env.clock.advance(Duration.ofMillis(86_400_123));
        log.record(List.of(new LookupLog.Entry(aliceId, 1, "+12025550199", Route.SMS, ip)));     // 2026-11-29T10:00:00.123Z
    }

    @AfterEach
    void close() {
        if (env != null) {
            env.close();
        }
    }

    private HttpResponse<String> get(String query, String authorization) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + "/v1/admin/lookup-log" + query)).GET();
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode ok(String query) throws Exception {
        HttpResponse<String> response = get(query, "Bearer " + token);
        assertEquals(200, response.statusCode(), response.body());
        return Json.lenient().readTree(response.body()).get("entries");
    }

    private static List<String> queried(JsonNode entries) {
        List<String> out = new ArrayList<>();
        entries.forEach(e -> out.add(e.get("queriedHandle").asText()));
        return out;
    }

    private void assertError(HttpResponse<String> response, int status, String error) throws Exception {
        assertEquals(status, response.statusCode(), response.body());
        assertEquals(error, Json.lenient().readTree(response.body()).get("error").asText());
    }

    @Test
    void get_withoutToken_is401WithBearerChallenge() throws Exception {
        HttpResponse<String> response = get("", null);
        assertError(response, 401, "unauthorized");
        assertTrue(response.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Bearer"));
    }

    @Test
    void get_wrongToken_is401() throws Exception {
        assertError(get("", "Bearer " + token.substring(1) + "x"), 401, "unauthorized");
        assertError(get("", "Basic " + token), 401, "unauthorized");
        assertError(get("", "Bearer "), 401, "unauthorized");
    }

    @Test
    void get_noFilter_returnsEveryEntryWithAllFields() throws Exception {
        JsonNode entries = ok("");
        assertEquals(List.of(BOB, BOB, ALICE, "+12025550199"), queried(entries));
        JsonNode first = entries.get(0);
        assertTrue(first.get("id").asLong() > 0);
        assertEquals("2026-11-27T10:00:00.000Z", first.get("time").asText());
        assertEquals(LookupTestEnvironment.START.toEpochMilli(), first.get("timeMs").asLong());
        assertEquals(aliceId, first.get("requesterAccountId").asText());
        assertEquals(1, first.get("requesterDeviceId").asInt());
        assertEquals(ALICE, first.get("requesterHandle").asText());
        assertEquals("parley", first.get("route").asText());
        assertEquals("203.0.113.7", first.get("clientIp").asText());
        assertTrue(entries.get(1).get("clientIp").isNull());
        assertEquals("2026-11-29T10:00:00.123Z", entries.get(3).get("time").asText());
    }

    @Test
    void get_byHandle_returnsOnlyLookupsOfThatHandle() throws Exception {
        assertEquals(List.of(BOB, BOB), queried(ok("?handle=BOB@example.org")));
        assertEquals(List.of(ALICE), queried(ok("?handle=%2B12025550143")));
        // A literal '+' in a query string is the handle's plus, not a space.
        assertEquals(List.of(ALICE), queried(ok("?handle=+12025550143")));
    }

    @Test
    void get_byRequester_returnsOnlyThatAccountsLookups() throws Exception {
        assertEquals(List.of(BOB, ALICE), queried(ok("?requester=carol@example.org")));
        assertEquals(List.of(BOB, "+12025550199"), queried(ok("?requester=%2B1%20202%20555%200143")));
        assertEquals(List.of(), queried(ok("?requester=nobody@example.org")));
    }

    @Test
    void get_byTimeRange_sinceInclusiveUntilExclusive() throws Exception {
        assertEquals(List.of(BOB, ALICE), queried(ok("?since=2026-11-28&until=2026-11-29")));
        assertEquals(List.of(BOB, ALICE, "+12025550199"), queried(ok("?since=2026-11-28T10:00:00Z")));
        assertEquals(List.of(BOB), queried(ok("?until=2026-11-28T10:00:00Z")));
        assertEquals(List.of(BOB), queried(ok("?requester=carol@example.org&handle=bob@example.org&since=2026-11-28")));
    }

    @Test
    void get_withLimit_returnsTheOldestEntriesFirst() throws Exception {
        assertEquals(List.of(BOB, BOB), queried(ok("?limit=2")));
        assertEquals(4, ok("?limit=10000").size());
    }

    @Test
    void get_badParameters_are400WithAClearMessage() throws Exception {
        assertError(get("?since=yesterday", "Bearer " + token), 400, "invalid_request");
        assertTrue(get("?since=yesterday", "Bearer " + token).body().contains("2026-11-27T10:00:00Z"));
        assertError(get("?until=2026-13-01", "Bearer " + token), 400, "invalid_request");
        assertError(get("?since=2026-11-29&until=2026-11-28", "Bearer " + token), 400, "invalid_request");
        assertError(get("?limit=0", "Bearer " + token), 400, "invalid_request");
        assertError(get("?limit=10001", "Bearer " + token), 400, "invalid_request");
        assertError(get("?limit=many", "Bearer " + token), 400, "invalid_request");
        assertError(get("?handel=bob@example.org", "Bearer " + token), 400, "invalid_request");
        assertError(get("?limit=1&limit=2", "Bearer " + token), 400, "invalid_request");
    }

    @Test
    void get_invalidHandle_is400InvalidHandle() throws Exception {
        assertError(get("?handle=12025550143", "Bearer " + token), 400, "invalid_handle");
        assertError(get("?requester=not-an-email", "Bearer " + token), 400, "invalid_handle");
    }

    @Test
    void get_badParametersWithoutToken_is401First() throws Exception {
        assertError(get("?since=yesterday", null), 401, "unauthorized");
    }
}
