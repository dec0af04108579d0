// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.directory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.protocol.Json;
import org.parley.protocol.RegistrationRequest;
import org.parley.server.ParleyServer;
import org.parley.server.config.ConfigLoader;
import org.parley.server.testing.AccountsTestKeys;
import org.parley.testing.TestClock;
import org.parley.server.testing.LookupTestEnvironment;

/**
 * The whole path through the real server: registered accounts look each other up, the lookups land
 * in the log, the operator reads them with the token from the data directory, and the purge
 * honours the retention.
 */
class LookupEndToEndTest {
    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newHttpClient();
    private final TestClock clock = new TestClock(LookupTestEnvironment.START);
    private ParleyServer server;

    @BeforeEach
    void start() {
        server = ParleyServer.start(ConfigLoader.defaultsOnly().withHttp("127.0.0.1", 0, dir), clock);
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private HttpResponse<String> send(String method, String path, Object body, String auth) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(server.uri().resolve(path));
        if (auth != null) {
            b.header("Authorization", auth);
        }
        if (body == null) {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            b.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofByteArray(Json.strict().writeValueAsBytes(body)));
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode ok(HttpResponse<String> response) throws Exception {
        assertEquals(200, response.statusCode(), response.body());
        return Json.lenient().readTree(response.body());
    }

    /** Registers through the development sender's code file; returns {accountId, Basic auth}. */
    private String[] register(String handle) throws Exception {
        JsonNode session = ok(send("POST", "/v1/verification/sessions", Map.of("handle", handle), null));
        String code = Files.readString(dir.resolve("dev-codes").resolve(handle)).strip();
        AccountsTestKeys keys = new AccountsTestKeys();
        JsonNode account = ok(send("POST", "/v1/accounts",
                new RegistrationRequest(session.get("sessionId").asText(), code, keys.registration(4711)), null));
        String id = account.get("accountId").asText();
        return new String[] {id, keys.basic(id, 1)};
    }

    @Test
    void lookup_registeredAndUnknownHandles_areAnsweredLoggedShownToTheOperatorAndPurged() throws Exception {
        String[] alice = register("+12025550143");
        String[] bob = register("bob@example.org");

        JsonNode results = ok(send("POST", "/v1/directory/lookup",
                Map.of("handles", java.util.List.of("Bob@example.org", "+12025550199")), alice[1])).get("results");
        assertEquals("parley", results.get(0).get("route").asText());
        assertEquals(bob[0], results.get(0).get("accountId").asText());
        assertEquals(4711, results.get(0).get("devices").get(0).get("registrationId").asInt());
        assertEquals("sms", results.get(1).get("route").asText());

        String token = "Bearer " + Files.readString(dir.resolve("admin.token")).strip();
        JsonNode entries = ok(send("GET", "/v1/admin/lookup-log?requester=%2B12025550143", null, token)).get("entries");
        assertEquals(2, entries.size());
        assertEquals("+12025550143", entries.get(0).get("requesterHandle").asText());
        assertEquals(alice[0], entries.get(0).get("requesterAccountId").asText());
        assertEquals("bob@example.org", entries.get(0).get("queriedHandle").asText());
        assertEquals("127.0.0.1", entries.get(0).get("clientIp").asText());
        assertEquals("2026-11-27T10:00:00.000Z", entries.get(0).get("time").asText());
        assertEquals(401, send("GET", "/v1/admin/lookup-log", null, alice[1]).statusCode(),
                "a device's credentials do not open the operator API");

        clock.advance(Duration.ofDays(30).plusMinutes(1));
        server.purgeNow();
        assertTrue(ok(send("GET", "/v1/admin/lookup-log", null, token)).get("entries").isEmpty());
    }
}
