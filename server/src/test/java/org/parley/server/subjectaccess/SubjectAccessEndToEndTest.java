// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.subjectaccess;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.protocol.RegistrationRequest;
import org.parley.server.ParleyServer;
import org.parley.server.config.ConfigLoader;
import org.parley.testing.TestClock;
import org.parley.server.testing.AccountsTestKeys;
import org.parley.server.testing.TestHttp;

/**
 * {@code GET /v1/me/data} on the fully wired server with a hand-moved clock: lookups older than the
 * retention are left out even before the purge runs, days are days, and it needs device credentials.
 */
class SubjectAccessEndToEndTest {
    private static final java.time.Instant START = java.time.Instant.parse("2026-11-01T10:00:00Z");

    @TempDir
    Path dir;

    private final TestClock clock = new TestClock(START);
    private final TestHttp http = new TestHttp();
    private ParleyServer server;

    @BeforeEach
    void start() {
        server = ParleyServer.start(ConfigLoader.load(null, Map.of("PARLEY_LOOKUP_LOG_MODE", "truncated-ip"))
                .withHttp("127.0.0.1", 0, dir.resolve("data")), clock);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private record Registered(String accountId, String auth) {}

    private Registered register(String handle) throws Exception {
        JsonNode session = TestHttp.ok(http.send(server.port(), "POST", "/v1/verification/sessions", Map.of("handle", handle), null));
        String code = Files.readString(server.config().http().dataDir().resolve("dev-codes").resolve(handle)).strip();
        AccountsTestKeys keys = new AccountsTestKeys();
        JsonNode account = TestHttp.ok(http.send(server.port(), "POST", "/v1/accounts",
                new RegistrationRequest(session.get("sessionId").asText(), code, keys.registration(4711)), null));
        String id = account.get("accountId").asText();
        return new Registered(id, keys.basic(id, 1));
    }

    private void lookup(Registered who, String handle) {
        TestHttp.ok(http.send(server.port(), "GET", "/v1/directory/" + handle, null, who.auth()));
    }

    @Test
    void myData_onlyOwnLookupsWithinRetention_daysForDevices() throws Exception {
        Registered alice = register("alice@example.org");
        Registered bob = register("bob@example.org");
        lookup(alice, "bob@example.org");                      // day 0: will be older than P30D
        clock.advance(Duration.ofDays(20));
        lookup(alice, "carol@example.org");                    // day 20
        lookup(bob, "alice@example.org");                      // Bob's, not Alice's
        clock.advance(Duration.ofDays(15).plusHours(3));       // day 35

        JsonNode me = TestHttp.ok(http.send(server.port(), "GET", "/v1/me/data", null, alice.auth()));
        assertEquals(alice.accountId(), me.get("accountId").asText());
        assertEquals("2026-11-01", me.get("accountCreated").asText());
        JsonNode device = me.get("devices").get(0);
        assertEquals("2026-11-01", device.get("created").asText());
        assertEquals("2026-12-06", device.get("lastSeen").asText(), "authenticating today moved last-seen to today");
        List<String> queried = new ArrayList<>();
        me.get("lookups").forEach(l -> queried.add(l.get("queriedHandle").asText()));
        assertEquals(List.of("carol@example.org"), queried, "day-0 lookup is past retention; Bob's lookup is his");
        JsonNode lookup = me.get("lookups").get(0);
        assertEquals("127.0.0.0", lookup.get("clientIp").asText(), "stored as the /24 network in truncated-ip mode");
        assertEquals("2026-11-21T10:00:00.000Z", lookup.get("time").asText());
        assertEquals("truncated-ip", me.get("lookupLog").get("mode").asText());
        assertEquals(0, me.get("queuedEnvelopes").asLong());
        assertTrue(me.get("disclosures").isEmpty());
    }

    @Test
    void myData_withoutCredentials_is401() {
        HttpResponse<String> r = http.send(server.port(), "GET", "/v1/me/data", null, null);
        assertEquals(401, r.statusCode(), r.body());
        assertEquals("unauthorized", TestHttp.parse(r).get("error").asText());
        HttpResponse<String> wrong = http.send(server.port(), "GET", "/v1/me/data", null,
                AccountsTestKeys.basic("no-such-account", 1, "password-password-password"));
        assertEquals(401, wrong.statusCode(), wrong.body());
    }
}
