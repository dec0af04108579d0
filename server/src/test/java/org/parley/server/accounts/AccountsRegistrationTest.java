// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.accounts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.protocol.DeviceRegistration;
import org.parley.protocol.KeyUploadRequest;
import org.parley.protocol.RegistrationRequest;
import org.parley.server.accounts.Accounts.DeviceRecord;
import org.parley.server.testing.AccountsTestKeys;
import org.parley.server.testing.AccountsTestServer;
import org.parley.server.testing.AccountsTestServer.Device;

class AccountsRegistrationTest {
    private static final String HANDLE = "+12025550143";

    @TempDir
    Path dir;
    AccountsTestServer server;

    @BeforeEach
    void start() {
        server = AccountsTestServer.start(dir);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private JsonNode startSession(String handle) {
        return AccountsTestServer.ok(server.post("/v1/verification/sessions", Map.of("handle", handle), null));
    }

    private HttpResponse<String> register(String sessionId, String code, DeviceRegistration device) {
        return server.post("/v1/accounts", new RegistrationRequest(sessionId, code, device), null);
    }

    private static String wrong(String code) {
        return code.equals("000000") ? "000001" : "000000";
    }

    @Test
    void register_rightCode_createsAccountWithPrimaryDevice() {
        JsonNode session = startSession("+1 (202) 555-0143");
        assertEquals(HANDLE, session.get("handle").asText());
        assertEquals(AccountsTestServer.START.plus(Duration.ofMinutes(10)).toEpochMilli(), session.get("expiresAt").asLong());
        String code = server.codes.get(HANDLE);
        assertTrue(code.matches("[0-9]{6}"), code);

        AccountsTestKeys keys = new AccountsTestKeys();
        JsonNode body = AccountsTestServer.ok(register(session.get("sessionId").asText(), code, keys.registration(4711)));

        String accountId = body.get("accountId").asText();
        assertEquals(1, body.get("deviceId").asInt());
        assertEquals(HANDLE, body.get("handle").asText());
        Accounts accounts = server.accounts.accounts();
        assertEquals(accountId, accounts.accountIdOf(HANDLE).orElseThrow());
        assertEquals(HANDLE, accounts.handleOf(accountId).orElseThrow());
        List<DeviceRecord> devices = accounts.devices(accountId);
        assertEquals(1, devices.size());
        assertEquals(4711, devices.get(0).registrationId());
        assertTrue(Arrays.equals(keys.identityKey(), devices.get(0).identityKey()));
    }

    @Test
    void startSession_invalidHandle_400InvalidHandle() {
        HttpResponse<String> response = server.post("/v1/verification/sessions", Map.of("handle", "2025550143"), null);
        assertEquals(400, response.statusCode());
        assertEquals("invalid_handle", AccountsTestServer.parse(response).get("error").asText());
    }

    @Test
    void register_wrongCode_403WithAttemptsRemaining() {
        JsonNode session = startSession(HANDLE);
        HttpResponse<String> response = register(session.get("sessionId").asText(), wrong(server.codes.get(HANDLE)),
                new AccountsTestKeys().registration(1));
        assertEquals(403, response.statusCode());
        JsonNode body = AccountsTestServer.parse(response);
        assertEquals("invalid_code", body.get("error").asText());
        assertEquals(4, body.get("attemptsRemaining").asInt());
        assertTrue(server.accounts.accounts().accountIdOf(HANDLE).isEmpty());
    }

    @Test
    void register_afterMaxWrongCodes_sessionDeadWith429() {
        String sessionId = startSession(HANDLE).get("sessionId").asText();
        String code = server.codes.get(HANDLE);
        DeviceRegistration device = new AccountsTestKeys().registration(1);
        for (int remaining = 4; remaining >= 0; remaining--) {
            HttpResponse<String> response = register(sessionId, wrong(code), device);
            assertEquals(403, response.statusCode());
            assertEquals(remaining, AccountsTestServer.parse(response).get("attemptsRemaining").asInt());
        }
        HttpResponse<String> dead = register(sessionId, code, device);
        assertEquals(429, dead.statusCode());
        assertEquals("rate_limited", AccountsTestServer.parse(dead).get("error").asText());
        assertTrue(dead.headers().firstValue("Retry-After").isPresent());
        assertTrue(server.accounts.accounts().accountIdOf(HANDLE).isEmpty());
    }

    @Test
    void register_afterCodeTtl_410SessionExpired() {
        String sessionId = startSession(HANDLE).get("sessionId").asText();
        server.clock.advance(Duration.ofMinutes(10));
        HttpResponse<String> response = register(sessionId, server.codes.get(HANDLE), new AccountsTestKeys().registration(1));
        assertEquals(410, response.statusCode());
        assertEquals("session_expired", AccountsTestServer.parse(response).get("error").asText());
    }

    @Test
    void register_sessionUsedTwice_secondIs410() {
        String sessionId = startSession(HANDLE).get("sessionId").asText();
        String code = server.codes.get(HANDLE);
        AccountsTestServer.ok(register(sessionId, code, new AccountsTestKeys().registration(1)));
        HttpResponse<String> again = register(sessionId, code, new AccountsTestKeys().registration(2));
        assertEquals(410, again.statusCode());
    }

    @Test
    void register_unknownSession_404() {
        HttpResponse<String> response = register("no-such-session", "123456", new AccountsTestKeys().registration(1));
        assertEquals(404, response.statusCode());
        assertEquals("not_found", AccountsTestServer.parse(response).get("error").asText());
    }

    @Test
    void startSession_overHourlyLimit_429UntilTheOldestLeavesTheWindow() {
        for (int i = 0; i < 5; i++) {
            startSession(HANDLE);
            server.clock.advance(Duration.ofMinutes(1));
        }
        HttpResponse<String> refused = server.post("/v1/verification/sessions", Map.of("handle", HANDLE), null);
        assertEquals(429, refused.statusCode());
        assertEquals("rate_limited", AccountsTestServer.parse(refused).get("error").asText());
        // The first session started at START; it is now START+5min, so a slot opens in 55 minutes.
        assertEquals("3300", refused.headers().firstValue("Retry-After").orElseThrow());
        // Other handles are not affected.
        startSession("alice@example.org");

        server.clock.advance(Duration.ofMinutes(55));
        startSession(HANDLE);
    }

    @Test
    void register_existingHandle_keepsAccountIdAndReplacesDevicesKeysAndQueues() throws Exception {
        List<String> replaced = new ArrayList<>();
        server.accounts.onDevicesReplaced(replaced::add);
        Device first = server.register(HANDLE);
        AccountsTestServer.ok(server.get("/v1/keys", first.auth()));
        assertEquals(204, server.put("/v1/keys", new KeyUploadRequest(
                List.of(AccountsTestKeys.ec(7)), List.of(first.keys().signedKyber(7)), null, null), first.auth()).statusCode());
        insertMessage(first.accountId());

        AccountsTestKeys newKeys = new AccountsTestKeys();
        Device second = server.register(HANDLE, newKeys);

        assertEquals(first.accountId(), second.accountId());
        assertEquals(List.of(first.accountId()), replaced);
        List<DeviceRecord> devices = server.accounts.accounts().devices(first.accountId());
        assertEquals(1, devices.size());
        assertTrue(Arrays.equals(newKeys.identityKey(), devices.get(0).identityKey()));
        // The old password is dead at once (the credential cache was invalidated), the new one works.
        assertEquals(401, server.get("/v1/keys", first.auth()).statusCode());
        JsonNode counts = AccountsTestServer.ok(server.get("/v1/keys", second.auth()));
        assertEquals(0, counts.get("preKeys").asInt());
        assertEquals(0, counts.get("pqPreKeys").asInt());
        assertEquals(0, countMessages(first.accountId()));
        // The bundle now carries the new device's signed prekey.
        JsonNode bundle = AccountsTestServer.ok(server.get("/v1/keys/" + first.accountId() + "/1", second.auth()));
        assertEquals(java.util.Base64.getEncoder().encodeToString(newKeys.identityKey()),
                bundle.get("devices").get(0).get("identityKey").asText());
    }

    @Test
    void register_otherHandle_getsAnotherAccount() {
        Device alice = server.register("alice@example.org");
        Device bob = server.register("bob@example.org");
        assertNotEquals(alice.accountId(), bob.accountId());
    }

    @Test
    void register_signedPreKeyFromAnotherIdentity_422NamingTheKey() {
        AccountsTestKeys keys = new AccountsTestKeys();
        DeviceRegistration good = keys.registration(1);
        DeviceRegistration bad = new DeviceRegistration(1, keys.password(), keys.identityKey(),
                AccountsTestKeys.signedByStranger(good.signedPreKey()), good.pqLastResortPreKey());
        assertInvalidSignature(bad, "device.signedPreKey");
    }

    @Test
    void register_lastResortKeyFromAnotherIdentity_422NamingTheKey() {
        AccountsTestKeys keys = new AccountsTestKeys();
        DeviceRegistration good = keys.registration(1);
        DeviceRegistration bad = new DeviceRegistration(1, keys.password(), keys.identityKey(),
                good.signedPreKey(), AccountsTestKeys.signedByStranger(good.pqLastResortPreKey()));
        assertInvalidSignature(bad, "device.pqLastResortPreKey");
    }

    @Test
    void register_malformedIdentityKey_400() {
        AccountsTestKeys keys = new AccountsTestKeys();
        DeviceRegistration good = keys.registration(1);
        DeviceRegistration bad = new DeviceRegistration(1, keys.password(), new byte[] {5, 1, 2, 3},
                good.signedPreKey(), good.pqLastResortPreKey());
        String sessionId = startSession(HANDLE).get("sessionId").asText();
        HttpResponse<String> response = register(sessionId, server.codes.get(HANDLE), bad);
        assertEquals(400, response.statusCode());
        assertTrue(AccountsTestServer.parse(response).get("message").asText().contains("device.identityKey"));
    }

    @Test
    void purge_sessionsExpiredAndOutOfTheWindow_deleted() throws Exception {
        startSession(HANDLE);
        server.clock.advance(Duration.ofMinutes(30));
        startSession("alice@example.org");
        server.clock.advance(Duration.ofMinutes(31));
        // The first is expired and over an hour old; the second is expired but still counts for its handle.
        assertEquals(1, server.purges.runOnce());
        int left = server.database.read(c -> {
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM verification_sessions")) {
                rs.next();
                return rs.getInt(1);
            }
        });
        assertEquals(1, left);
    }

    private void assertInvalidSignature(DeviceRegistration device, String key) {
        String sessionId = startSession(HANDLE).get("sessionId").asText();
        HttpResponse<String> response = register(sessionId, server.codes.get(HANDLE), device);
        assertEquals(422, response.statusCode(), response.body());
        JsonNode body = AccountsTestServer.parse(response);
        assertEquals("invalid_signature", body.get("error").asText());
        assertTrue(body.get("message").asText().contains(key), body.get("message").asText());
        assertFalse(server.accounts.accounts().accountIdOf(HANDLE).isPresent());
    }

    private void insertMessage(String accountId) {
        server.database.write(c -> {
            try (PreparedStatement s = c.prepareStatement("""
                    INSERT INTO messages(account_id, device_id, guid, source_account_id, source_device_id, type, content,
                                         client_timestamp, server_timestamp, expires_at)
                    VALUES (?, 1, 'guid-1', ?, 1, 'prekey', X'00', 1, 1, 9999999999999)""")) {
                s.setString(1, accountId);
                s.setString(2, accountId);
                s.executeUpdate();
            }
            return null;
        });
    }

    private int countMessages(String accountId) {
        return server.database.read(c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT COUNT(*) FROM messages WHERE account_id = ?")) {
                s.setString(1, accountId);
                try (ResultSet rs = s.executeQuery()) {
                    rs.next();
                    return rs.getInt(1);
                }
            }
        });
    }
}
