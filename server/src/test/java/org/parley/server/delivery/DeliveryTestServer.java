// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.delivery;

import com.fasterxml.jackson.databind.JsonNode;
import io.helidon.webserver.WebServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.parley.protocol.MessageType;
import org.parley.protocol.OutgoingMessage;
import org.parley.protocol.RegistrationRequest;
import org.parley.protocol.SendMessageRequest;
import org.parley.server.feature.ServerContext;
import org.parley.server.accounts.AccountsFeature;
import org.parley.server.keys.KeysFeature;
import org.parley.server.config.ConfigLoader;
import org.parley.server.config.ServerConfig;
import org.parley.server.http.ClientAddresses;
import org.parley.server.messages.MessageStore;
import org.parley.server.messages.MessagesFeature;
import org.parley.server.sealedsender.SealedSenderFeature;
import org.parley.server.storage.Database;
import org.parley.server.storage.PurgeScheduler;
import org.parley.server.testing.TestHttp;
import org.parley.testing.TestClock;
import org.parley.server.testing.AccountsTestKeys;
import org.parley.server.testing.AccountsTestServer.Device;
import org.parley.server.ParleyServer;

/**
 * The real accounts, messages, delivery and sealed-sender features on a real SQLite file behind a real Helidon
 * server (HTTP and WebSocket) on a random loopback port, wired as the server wires them, with the
 * lead's error mapping and a hand-moved clock. For the messages and delivery tests.
 */
public final class DeliveryTestServer implements AutoCloseable {
    public static final int REGISTRATION_ID = 4711;

    public final TestClock clock = new TestClock(java.time.Instant.parse("2026-11-27T10:00:00Z"));
    public final Map<String, String> codes = new ConcurrentHashMap<>();
    public final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    public final Path databaseFile;
    public final ServerConfig config;
    public final Database database;
    public final PurgeScheduler purges;
    public final AccountsFeature accounts;
    public final MessageStore store;
    public final DeliveryFeature delivery;
    public final MessagesFeature messages;
    private final WebServer server;
    private final TestHttp http = new TestHttp();

    private DeliveryTestServer(Path dir, int maxInFlight, Duration keepalive) {
        ServerConfig defaults = ConfigLoader.defaultsOnly().withHttp("127.0.0.1", 0, dir);
        config = new ServerConfig(defaults.http(), defaults.storage(), defaults.verification(), defaults.directory(),
                defaults.lookupLog(), defaults.messages(), new ServerConfig.Delivery(maxInFlight), defaults.audit(), defaults.legal(),
                defaults.redis());
        databaseFile = dir.resolve("delivery-test.db");
        database = Database.openSqlite(databaseFile, "FULL");
        database.migrate(List.of("/db/sqlite/accounts.sql", "/db/sqlite/keys.sql", "/db/sqlite/messages.sql",
                "/db/sqlite/devices.sql", "/db/sqlite/messages-sealed.sql", "/db/sqlite/sealedsender.sql",
                "/db/sqlite/account-deletion.sql"));
        purges = new PurgeScheduler(clock, meters);
        ServerContext ctx = new ServerContext(config, database, clock, new SecureRandom(), meters,
                new ClientAddresses(List.of()), purges);
        store = MessagesFeature.store(ctx);
        accounts = AccountsFeature.create(ctx, codes::put, KeysFeature.deviceKeys(database), store);
        delivery = DeliveryFeature.create(ctx, store, accounts.accounts(), accounts.authenticator(), keepalive, Fanout.local());
        messages = MessagesFeature.create(ctx, store, accounts.accounts(), accounts.authenticator(), delivery.listener());
        delivery.acceptSends(messages.sends());
        accounts.onDevicesReplaced(delivery::devicesReplaced);
        accounts.onDeviceRemoved(delivery::deviceRemoved);
        SealedSenderFeature sealedSender = SealedSenderFeature.create(ctx, accounts.accounts(), accounts.authenticator(),
                messages.sealedQueue());
        server = ParleyServer.buildWebServer(config, List.of(accounts, messages, delivery, sealedSender)).start();
    }

    public static DeliveryTestServer start(Path dir) {
        return new DeliveryTestServer(dir, 256, DeliveryFeature.DEFAULT_KEEPALIVE);
    }

    public static DeliveryTestServer start(Path dir, int maxInFlight, Duration keepalive) {
        return new DeliveryTestServer(dir, maxInFlight, keepalive);
    }

    public URI websocketUri() {
        return URI.create("ws://127.0.0.1:" + server.port() + DeliveryFeature.PATH);
    }

    public WsTestClient connect(Device device) throws Exception {
        return WsTestClient.connect(websocketUri(), device.auth());
    }

    /** Verifies {@code handle} and registers its primary device (id 1) through the HTTP API. */
    public Device register(String handle) {
        AccountsTestKeys keys = new AccountsTestKeys();
        JsonNode session = ok(post("/v1/verification/sessions", Map.of("handle", handle)));
        String normalized = session.get("handle").asText();
        JsonNode body = ok(post("/v1/accounts", new RegistrationRequest(session.get("sessionId").asText(),
                codes.get(normalized), keys.registration(REGISTRATION_ID))));
        return new Device(body.get("accountId").asText(), body.get("deviceId").asInt(), normalized, keys);
    }

    /**
     * Adds device {@code deviceId} to the account of {@code primary} straight in the accounts
     * schema (bypassing POST /v1/devices, whose key checks these tests do not need), with a password hashed as the accounts
     * feature does.
     */
    public Device addDevice(Device primary, int deviceId, int registrationId) {
        AccountsTestKeys keys = new AccountsTestKeys();
        byte[] salt = new byte[16];
        new SecureRandom().nextBytes(salt);
        byte[] hash = sha256(salt, keys.password());
        database.write(c -> {
            try (PreparedStatement s = c.prepareStatement("INSERT INTO devices(account_id, device_id, registration_id, "
                    + "password_salt, password_hash, identity_key, created_at, last_seen_day) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
                s.setString(1, primary.accountId());
                s.setInt(2, deviceId);
                s.setInt(3, registrationId);
                s.setBytes(4, salt);
                s.setBytes(5, hash);
                s.setBytes(6, keys.identityKey());
                s.setLong(7, clock.millis());
                s.setLong(8, 0);
                return s.executeUpdate();
            }
        });
        accounts.changedOutside(primary.accountId());
        return new Device(primary.accountId(), deviceId, primary.handle(), keys);
    }

    /** Changes a device's registration id, as a reinstall of that device would. */
    public void setRegistrationId(String accountId, int deviceId, int registrationId) {
        database.write(c -> {
            try (PreparedStatement s = c.prepareStatement(
                    "UPDATE devices SET registration_id = ? WHERE account_id = ? AND device_id = ?")) {
                s.setInt(1, registrationId);
                s.setString(2, accountId);
                s.setInt(3, deviceId);
                return s.executeUpdate();
            }
        });
        accounts.changedOutside(accountId);
    }

    /** One signal-type ciphertext for {@code deviceId} with the default registration id. */
    public static OutgoingMessage ciphertext(int deviceId, String text) {
        return ciphertext(deviceId, REGISTRATION_ID, text.getBytes(StandardCharsets.UTF_8));
    }

    public static OutgoingMessage ciphertext(int deviceId, int registrationId, byte[] content) {
        return new OutgoingMessage(deviceId, registrationId, MessageType.SIGNAL, content);
    }

    /** {@code PUT /v1/messages/{to}} as {@code from}. */
    public HttpResponse<String> send(Device from, String to, SendMessageRequest request) {
        return send("PUT", "/v1/messages/" + to, request, from.auth());
    }

    /** Sends one message to the single-device account {@code to}, asserting a 200. */
    public JsonNode sendText(Device from, Device to, String text) {
        return ok(send(from, to.accountId(), new SendMessageRequest(clock.millis(), List.of(ciphertext(to.deviceId(), text)),
                List.of())));
    }

    public HttpResponse<String> post(String path, Object body) {
        return send("POST", path, body, null);
    }

    public HttpResponse<String> send(String method, String path, Object body, String auth) {
        return http.send(server.port(), method, path, body, auth);
    }

    public static JsonNode ok(HttpResponse<String> response) {
        return TestHttp.ok(response);
    }

    public static JsonNode parse(HttpResponse<String> response) {
        return TestHttp.parse(response);
    }

    /** Delivery loops still running. */
    public int liveConnections() {
        return delivery.liveConnections();
    }

    /** Stops the web server only: the database stays open and is never closed cleanly, as in a crash. */
    public void stopWebServerOnly() {
        server.stop();
    }


    private static byte[] sha256(byte[] salt, String secret) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(salt);
            digest.update(secret.getBytes(StandardCharsets.UTF_8));
            return digest.digest();
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        server.stop();
        purges.close();
        delivery.close();
        messages.close();
        accounts.close();
        database.close();
    }
}
