// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.privatelookup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.parley.protocol.Json;
import org.parley.server.ParleyServer;
import org.parley.server.config.ConfigLoader;

/**
 * The published policy's private-lookup log, from the real server, in each {@code lookup.mode} and
 * {@code lookup-log.mode}: recorded exactly when private lookups are answered and the lookup log is
 * on, with the IP field the mode keeps, and with every reader that can now read it (the owner, admins,
 * an authority through lookup-log-by-target). Before, the policy named only the server host.
 */
class PrivateLookupPolicyEndToEndTest {
    @TempDir
    Path dir;

    @ParameterizedTest(name = "lookup.mode {0}, lookup-log.mode {1}")
    @CsvSource({
        "plain,   full,         false, ",
        "both,    full,         true,  ip",
        "both,    truncated-ip, true,  ip_network",
        "private, no-ip,        true,  ",
        "private, off,          false, ",
    })
    void policy_privateLookupLog_isStatedTruthfullyInEachMode(String lookupMode, String logMode, boolean recorded,
                                                              String ipField) throws Exception {
        try (ParleyServer server = ParleyServer.start(ConfigLoader.load(null, Map.of("PARLEY_LOOKUP_MODE", lookupMode,
                "PARLEY_LOOKUP_LOG_MODE", logMode)).withHttp("127.0.0.1", 0, dir), java.time.Clock.systemUTC())) {
            HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    server.uri().resolve("/.well-known/parley/policy")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, response.statusCode(), response.body());
            JsonNode policy = Json.lenient().readTree(response.body());
            JsonNode log = category(policy, "private-lookup-log");
            assertEquals(recorded, log.get("recorded").asBoolean(), log.toString());
            String text = log.toString();
            if (!recorded) {
                assertTrue(text.contains(lookupMode.equals("plain") ? "lookup.mode is plain" : "lookup-log.mode is off"),
                        text);
                return;
            }
            List<String> fields = new ArrayList<>();
            log.get("fields").forEach(f -> fields.add(f.get("name").asText()));
            List<String> expected = new ArrayList<>(List.of("time", "requester", "bucket"));
            if (ipField != null) {
                expected.add(ipField);
            }
            assertEquals(expected, fields);
            assertFalse(text.contains("queried_handle"), text);
            String readers = log.get("readers").toString();
            assertTrue(readers.contains("GET /v1/me/data"), readers);
            assertTrue(readers.contains("GET /v1/admin/lookup-log"), readers);
            assertTrue(readers.contains("lookup-log-by-target"), readers);
            assertTrue(text.contains("no one, the operator and a legal request included, can learn from this record"
                    + " who looked up a given handle"), text);
            String plainLog = category(policy, "lookup-log").toString();
            assertTrue(plainLog.contains("lookup.mode is " + lookupMode), plainLog);
        }
    }

    private static JsonNode category(JsonNode policy, String name) {
        for (JsonNode c : policy.get("categories")) {
            if (c.get("name").asText().equals(name)) {
                return c;
            }
        }
        throw new AssertionError("no category " + name + " in " + policy);
    }
}
