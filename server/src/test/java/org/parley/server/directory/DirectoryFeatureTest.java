// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.directory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.protocol.Json;
import org.parley.server.config.ServerConfig;
import org.parley.server.lookuplog.LookupLog;
import org.parley.server.lookuplog.LookupLogFeature;
import org.parley.server.testing.LookupTestAccounts;
import org.parley.server.testing.LookupTestEnvironment;

class DirectoryFeatureTest {
    private static final String ALICE = "+12025550143";
    private static final String BOB = "bob@example.org";
    private static final String UNKNOWN = "+12025550199";

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newHttpClient();
    private final LookupTestAccounts accounts = new LookupTestAccounts();
    private LookupTestEnvironment env;
    private LookupLog log;
    private URI base;
    private String aliceId;
    private String auth;

    private void start(UnaryOperator<ServerConfig> configure) {
        env = new LookupTestEnvironment(dir, configure);
        aliceId = accounts.add(ALICE, 1);
        accounts.add(BOB, 2);
        auth = LookupTestAccounts.basic(aliceId, 1);
        log = LookupLogFeature.create(env.ctx, accounts).log();
        base = env.serve(DirectoryFeature.create(env.ctx, accounts, log, accounts));
    }

    @AfterEach
    void close() {
        if (env != null) {
            env.close();
        }
    }

    private HttpResponse<String> get(String handlePath, String authorization, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve("/v1/directory/" + handlePath)).GET();
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        if (headers.length > 0) {
            b.headers(headers);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> batch(List<String> handles) throws Exception {
        String body = Json.strict().writeValueAsString(java.util.Map.of("handles", handles));
        return http.send(HttpRequest.newBuilder(base.resolve("/v1/directory/lookup"))
                .header("Authorization", auth).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(HttpResponse<String> response) throws Exception {
        return Json.lenient().readTree(response.body());
    }

    @Test
    void get_handleWithDevices_answersParleyWithAccountAndDevices() throws Exception {
        start(UnaryOperator.identity());
        HttpResponse<String> response = get(BOB, auth);

        assertEquals(200, response.statusCode());
        JsonNode body = json(response);
        assertEquals(BOB, body.get("handle").asText());
        assertEquals("parley", body.get("route").asText());
        assertEquals(accounts.accountIdOf(BOB).orElseThrow(), body.get("accountId").asText());
        assertEquals(2, body.get("devices").size());
        assertEquals(1, body.get("devices").get(0).get("deviceId").asInt());
        assertEquals(1001, body.get("devices").get(0).get("registrationId").asInt());
    }

    @Test
    void get_unknownHandle_answersSmsWithoutAccount() throws Exception {
        start(UnaryOperator.identity());
        JsonNode body = json(get(UNKNOWN, auth));
        assertEquals("sms", body.get("route").asText());
        assertEquals(UNKNOWN, body.get("handle").asText());
        assertFalse(body.has("accountId"));
        assertFalse(body.has("devices"));
    }

    @Test
    void get_accountWithoutDevices_answersSms() throws Exception {
        start(UnaryOperator.identity());
        accounts.add("nodevices@example.org", 0);
        assertEquals("sms", json(get("nodevices@example.org", auth)).get("route").asText());
    }

    @Test
    void get_mixedCaseEmail_isNormalisedInTheAnswerAndTheLog() throws Exception {
        start(UnaryOperator.identity());
        assertEquals(BOB, json(get("Bob@Example.ORG", auth)).get("handle").asText());
        assertEquals(BOB, log.query(LookupLog.Query.all()).getFirst().queriedHandle());
    }

    @Test
    void get_withoutCredentials_is401AndLogsNothing() throws Exception {
        start(UnaryOperator.identity());
        HttpResponse<String> response = get(BOB, null);
        assertEquals(401, response.statusCode());
        assertEquals("unauthorized", json(response).get("error").asText());
        assertTrue(log.query(LookupLog.Query.all()).isEmpty());
    }

    @Test
    void get_invalidHandle_is400InvalidHandle() throws Exception {
        start(UnaryOperator.identity());
        HttpResponse<String> response = get("12025550143", auth);
        assertEquals(400, response.statusCode());
        assertEquals("invalid_handle", json(response).get("error").asText());
    }

    @Test
    void get_lookup_logsRequesterRouteAndPeerAddress() throws Exception {
        start(UnaryOperator.identity());
        get(BOB, auth, "X-Forwarded-For", "203.0.113.7");

        LookupLog.LoggedLookup entry = log.query(LookupLog.Query.all()).getFirst();
        assertEquals(aliceId, entry.requesterAccountId());
        assertEquals(1, entry.requesterDeviceId());
        assertEquals(BOB, entry.queriedHandle());
        assertEquals("parley", entry.route().wire());
        // The peer is not a trusted proxy, so its X-Forwarded-For is ignored.
        assertEquals("127.0.0.1", entry.clientIp());
        assertEquals(LookupTestEnvironment.START.toEpochMilli(), entry.timeMs());
    }

    @Test
    void get_throughTrustedProxy_logsTheForwardedClient() throws Exception {
        start(LookupTestEnvironment.trustedProxies("127.0.0.0/8"));
        get(BOB, auth, "X-Forwarded-For", "203.0.113.7");
        assertEquals("203.0.113.7", log.query(LookupLog.Query.all()).getFirst().clientIp());
    }

    @Test
    void batch_validHandles_answersInRequestOrderAndLogsEach() throws Exception {
        start(UnaryOperator.identity());
        HttpResponse<String> response = batch(List.of(UNKNOWN, "+1 (202) 555-0143", BOB));

        assertEquals(200, response.statusCode());
        JsonNode results = json(response).get("results");
        assertEquals(List.of(UNKNOWN, ALICE, BOB), IntStream.range(0, 3).mapToObj(i -> results.get(i).get("handle").asText()).toList());
        assertEquals(List.of("sms", "parley", "parley"), IntStream.range(0, 3).mapToObj(i -> results.get(i).get("route").asText()).toList());
        assertEquals(List.of(UNKNOWN, ALICE, BOB),
                log.query(LookupLog.Query.all()).stream().map(LookupLog.LoggedLookup::queriedHandle).toList());
        assertEquals(2.0, env.meters.counter("parley.directory.lookups", "route", "parley").count());
        assertEquals(1.0, env.meters.counter("parley.directory.lookups", "route", "sms").count());
    }

    @Test
    void batch_oneInvalidHandle_failsWholeNamingTheIndex() throws Exception {
        start(UnaryOperator.identity());
        HttpResponse<String> response = batch(List.of(BOB, "not a handle", ALICE));

        assertEquals(400, response.statusCode());
        JsonNode body = json(response);
        assertEquals("invalid_handle", body.get("error").asText());
        assertTrue(body.get("message").asText().startsWith("handles[1]"), body.get("message").asText());
        assertTrue(log.query(LookupLog.Query.all()).isEmpty());
    }

    @Test
    void batch_emptyList_is400() throws Exception {
        start(UnaryOperator.identity());
        assertEquals(400, batch(List.of()).statusCode());
    }

    @Test
    void quota_1001stDistinctHandle_is429UntilTheNextUtcDay() throws Exception {
        start(UnaryOperator.identity()); // the shipped default: 1000 per day
        for (int b = 0; b < 10; b++) {
            int from = b * 100;
            List<String> handles = IntStream.range(from, from + 100).mapToObj(i -> "user" + i + "@example.org").toList();
            assertEquals(200, batch(handles).statusCode());
        }

        HttpResponse<String> refused = get("user1000@example.org", auth);
        assertEquals(429, refused.statusCode());
        assertEquals("rate_limited", json(refused).get("error").asText());
        // 10:00 UTC: fourteen hours until midnight.
        assertEquals(String.valueOf(14 * 3600), refused.headers().firstValue("Retry-After").orElseThrow());
        assertEquals(1000, log.query(new LookupLog.Query(null, null, null, null, 10_000)).size(),
                "a refused lookup is not logged");

        assertEquals(200, get("user7@example.org", auth).statusCode(), "a repeat is free");

        env.clock.advance(Duration.ofHours(14));
        assertEquals(200, get("user1000@example.org", auth).statusCode(), "a new UTC day resets the quota");
    }

    @Test
    void quota_batchThatWouldGoOver_isRefusedWhole() throws Exception {
        start(LookupTestEnvironment.quota(3));
        assertEquals(200, batch(List.of("a@example.org", "b@example.org")).statusCode());
        HttpResponse<String> refused = batch(List.of("a@example.org", "c@example.org", "d@example.org"));
        assertEquals(429, refused.statusCode());
        assertTrue(refused.headers().firstValue("Retry-After").isPresent());
        assertEquals(2, log.query(LookupLog.Query.all()).size());
        assertEquals(200, batch(List.of("a@example.org", "c@example.org")).statusCode());
    }

    @Test
    void metrics_lookupCounters_carryOnlyTheRouteTag() throws Exception {
        start(UnaryOperator.identity());
        get(BOB, auth);
        String tags = env.meters.getMeters().stream()
                .filter(m -> m.getId().getName().startsWith("parley.directory"))
                .flatMap(m -> m.getId().getTags().stream())
                .map(t -> t.getKey())
                .collect(Collectors.toSet()).toString();
        assertEquals("[route]", tags);
    }
}
