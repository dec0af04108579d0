// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.legal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.protocol.LegalReason;
import org.parley.server.ServerDatabase;
import org.parley.server.testing.TestHttp;

/**
 * {@code DELETE /v1/accounts/me} on the whole real server, with and without a preservation hold: a
 * deletion keeps exactly what an active hold preserves (the held lookups the account made, and with
 * a subscriber hold its account and device dates) and deletes everything else at once; the handle
 * can register anew; releasing the hold lets the purge take the rest.
 */
class AccountDeletionUnderHoldTest {
    private static final String BASE = "/v1/admin/legal/requests";

    @TempDir
    java.nio.file.Path dir;

    private LegalTestServer s;
    private String admin;
    private String rita;
    private LegalTestServer.Device bob;
    private LegalTestServer.Device carol;

    @BeforeEach
    void start() {
        s = new LegalTestServer(dir, c -> c);
        admin = s.adminToken();
        rita = s.token("rita", "legal-reviewer");
        bob = s.register("bob@example.org");
        carol = s.register("+12025550143");
        // 2026-11-27: Carol looks Bob up and Bob looks Carol up (inside the hold's days).
        TestHttp.ok(s.send("GET", "/v1/directory/bob@example.org", null, carol.auth()));
        TestHttp.ok(s.send("GET", "/v1/directory/%2B12025550143", null, bob.auth()));
    }

    @AfterEach
    void stop() {
        s.close();
    }

    private long register(String type, List<String> categories) {
        return s.registerRequest(admin, type, categories);
    }

    @Test
    void deletionUnderASubscriberAndLookupHold_keepsExactlyTheHeldData_thenThePurgeTakesItOnRelease() throws Exception {
        long hold = register("preservation", List.of("subscriber", "lookup-log-by-target"));
        // 2026-12-02, outside the hold's days: Bob looks up someone else.
        s.clock.advance(Duration.ofDays(5));
        TestHttp.ok(s.send("GET", "/v1/directory/dave@example.org", null, bob.auth()));
        assertEquals(List.of("bob@example.org", "+12025550143", "dave@example.org"), loggedHandles());

        HttpResponse<String> deleted = s.send("DELETE", "/v1/accounts/me", null, bob.auth());
        assertEquals(204, deleted.statusCode(), deleted.body());

        // Kept: the held lookup Bob made (not the one outside the hold's days) and the lookup of Bob by
        // Carol (Carol's record, until the retention).
        assertEquals(List.of("bob@example.org", "+12025550143"), loggedHandles());
        assertEquals(List.of("+12025550143"), handlesLookedUpBy("bob@example.org"));
        // Gone for everyone: credentials, keys, queue, devices, the handle.
        assertEquals(401, s.send("GET", "/v1/keys", null, bob.auth()).statusCode());
        assertEquals("sms", TestHttp.ok(s.send("GET", "/v1/directory/bob@example.org", null, carol.auth()))
                .get("route").asText());
        assertEquals(0, count("SELECT COUNT(*) FROM devices WHERE account_id = ?", bob.accountId()));
        assertEquals(0, count("SELECT COUNT(*) FROM signed_prekeys WHERE account_id = ?", bob.accountId()));
        assertEquals(0, count("SELECT COUNT(*) FROM one_time_prekeys WHERE account_id = ?", bob.accountId()));
        assertEquals(0, count("SELECT COUNT(*) FROM handles WHERE account_id = ?", bob.accountId()));
        assertEquals(0, count("SELECT COUNT(*) FROM accounts WHERE account_id = ?", bob.accountId()));
        // Kept too: Bob's subscriber dates.
        assertEquals(1, count("SELECT COUNT(*) FROM retained_accounts WHERE account_id = ?"
                + " AND account_created_at IS NOT NULL", bob.accountId()));
        assertEquals(1, count("SELECT COUNT(*) FROM retained_devices WHERE account_id = ?", bob.accountId()));

        // The held data can still be produced for a request about the deleted handle.
        long order = register("court-order", List.of("subscriber", "lookup-log-by-target"));
        TestHttp.ok(s.op("POST", BASE + "/" + order + "/approve", null, rita));
        TestHttp.ok(s.op("POST", BASE + "/" + order + "/produce", null, rita));
        Map<String, byte[]> files = LegalRegisterApiTest.unzip(s.bytes(BASE + "/" + order + "/package", admin).body());
        JsonNode subscriber = org.parley.protocol.Json.lenient().readTree(files.get("subscriber.json"));
        assertEquals(1, subscriber.size());
        assertEquals("bob@example.org", subscriber.get(0).get("handle").asText());
        assertEquals(1, org.parley.protocol.Json.lenient().readTree(files.get("lookup-log-by-target.json")).size());

        // The handle is free: someone registers it anew, under a new account.
        LegalTestServer.Device newBob = s.register("bob@example.org");
        assertNotEquals(bob.accountId(), newBob.accountId());
        assertEquals("parley", TestHttp.ok(s.send("GET", "/v1/directory/bob@example.org", null, carol.auth()))
                .get("route").asText());

        // While the hold is active the purge keeps it; once released, the purge takes the retained records.
        s.server.purgeNow();
        assertEquals(1, count("SELECT COUNT(*) FROM retained_accounts WHERE account_id = ?", bob.accountId()));
        TestHttp.ok(s.op("POST", BASE + "/" + hold + "/hold/release", new LegalReason("authority withdrew"), rita));
        s.server.purgeNow();
        assertEquals(0, count("SELECT COUNT(*) FROM retained_accounts WHERE account_id = ?", bob.accountId()));
        assertEquals(0, count("SELECT COUNT(*) FROM retained_devices WHERE account_id = ?", bob.accountId()));
    }

    @Test
    void deletionUnderALookupOnlyHold_keepsTheHandleLinkButNoDates() throws Exception {
        register("preservation", List.of("lookup-log-by-target"));
        assertEquals(204, s.send("DELETE", "/v1/accounts/me", null, bob.auth()).statusCode());
        assertEquals(List.of("+12025550143"), handlesLookedUpBy("bob@example.org"));
        assertEquals(1, count("SELECT COUNT(*) FROM retained_accounts WHERE account_id = ?"
                + " AND account_created_at IS NULL", bob.accountId()));
        assertEquals(0, count("SELECT COUNT(*) FROM retained_devices WHERE account_id = ?", bob.accountId()));
    }

    @Test
    void deletionWithoutAHold_keepsNothingOfTheAccount() throws Exception {
        assertEquals(204, s.send("DELETE", "/v1/accounts/me", null, bob.auth()).statusCode());
        assertEquals(List.of("bob@example.org"), loggedHandles(), "only Carol's lookup of Bob is left");
        assertEquals(0, count("SELECT COUNT(*) FROM retained_accounts WHERE account_id = ?", bob.accountId()));
        assertEquals(0, count("SELECT COUNT(*) FROM devices WHERE account_id = ?", bob.accountId()));
        // A second delete with the old credentials: they no longer authenticate.
        assertEquals(401, s.send("DELETE", "/v1/accounts/me", null, bob.auth()).statusCode());
        assertEquals(200, TestHttp.ok(s.send("GET", "/v1/keys", null, s.register("bob@example.org").auth()))
                .get("preKeys").asInt() >= 0 ? 200 : 0);
    }

    private List<String> loggedHandles() {
        JsonNode page = TestHttp.ok(s.op("GET", "/v1/admin/lookup-log", null, admin));
        List<String> out = new ArrayList<>();
        page.get("entries").forEach(e -> out.add(e.get("queriedHandle").asText()));
        return out;
    }

    private List<String> handlesLookedUpBy(String requester) {
        JsonNode page = TestHttp.ok(s.op("GET", "/v1/admin/lookup-log?requester=" + requester, null, admin));
        List<String> out = new ArrayList<>();
        page.get("entries").forEach(e -> out.add(e.get("queriedHandle").asText()));
        return out;
    }

    /** Reads the server's SQLite file directly: what is stored, whatever the API shows. */
    private long count(String sql, String arg) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + s.dataDir.resolve(ServerDatabase.FILE_NAME));
                PreparedStatement p = c.prepareStatement(sql)) {
            p.setString(1, arg);
            try (ResultSet rs = p.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
