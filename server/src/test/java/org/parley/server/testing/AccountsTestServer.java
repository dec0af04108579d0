// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.testing;

import org.parley.testing.TestClock;
import com.fasterxml.jackson.databind.JsonNode;
import io.helidon.webserver.WebServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;
import org.parley.protocol.RegistrationRequest;
import org.parley.server.feature.ServerContext;
import org.parley.server.accounts.AccountsFeature;
import org.parley.server.messages.MessagesFeature;
import org.parley.server.config.ConfigLoader;
import org.parley.server.config.ServerConfig;
import org.parley.server.http.ClientAddresses;
import org.parley.server.keys.KeysFeature;
import org.parley.server.storage.Database;
import org.parley.server.storage.PurgeScheduler;
import org.parley.server.ParleyServer;

/**
 * The accounts and keys features on a real SQLite database behind a real Helidon server on a random
 * loopback port, with the lead's error mapping, a hand-moved clock and a sender that records codes.
 */
public final class AccountsTestServer implements AutoCloseable {
    public static final Instant START = Instant.parse("2026-11-27T10:00:00Z");

    public final TestClock clock = new TestClock(START);
    public final Map<String, String> codes = new ConcurrentHashMap<>();
    public final ServerConfig config;
    public final Database database;
    public final PurgeScheduler purges;
    public final AccountsFeature accounts;
    public final KeysFeature keys;
    private final WebServer server;
    private final TestHttp http = new TestHttp();

    private AccountsTestServer(Path dir, UnaryOperator<ServerConfig> tweak) {
        config = tweak.apply(ConfigLoader.defaultsOnly().withHttp("127.0.0.1", 0, dir));
        database = Database.openSqlite(dir.resolve("test.db"), "NORMAL");
        // messages.sql too: re-registration empties the replaced devices' queues in that table.
        database.migrate(List.of("/db/sqlite/accounts.sql", "/db/sqlite/keys.sql", "/db/sqlite/messages.sql",
                "/db/sqlite/devices.sql", "/db/sqlite/account-deletion.sql"));
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        purges = new PurgeScheduler(clock, meters);
        ServerContext ctx = new ServerContext(config, database, clock, new SecureRandom(), meters,
                new ClientAddresses(List.of()), purges);
        accounts = AccountsFeature.create(ctx, codes::put, KeysFeature.deviceKeys(database),
                MessagesFeature.store(database));
        keys = KeysFeature.create(ctx, accounts.accounts(), accounts.authenticator());
        server = ParleyServer.buildWebServer(config.withHttp("127.0.0.1", 0, null), List.of(accounts, keys)).start();
    }

    public static AccountsTestServer start(Path dir) {
        return new AccountsTestServer(dir, c -> c);
    }

    public static AccountsTestServer start(Path dir, UnaryOperator<ServerConfig> tweak) {
        return new AccountsTestServer(dir, tweak);
    }

    /** A copy of {@code config} with other verification limits. */
    public static ServerConfig withVerification(ServerConfig config, ServerConfig.Verification verification) {
        return new ServerConfig(config.http(), config.storage(), verification, config.directory(), config.lookupLog(),
                config.messages(), config.delivery(), config.audit(), config.legal(), config.redis());
    }

    /** A registered primary device. */
    public record Device(String accountId, int deviceId, String handle, AccountsTestKeys keys) {
        public String auth() {
            return keys.basic(accountId, deviceId);
        }
    }

    /** Verifies {@code handle} and registers a fresh primary device, asserting success. */
    public Device register(String handle) {
        return register(handle, new AccountsTestKeys());
    }

    public Device register(String handle, AccountsTestKeys deviceKeys) {
        JsonNode session = ok(post("/v1/verification/sessions", Map.of("handle", handle), null));
        String normalized = session.get("handle").asText();
        HttpResponse<String> response = post("/v1/accounts", new RegistrationRequest(session.get("sessionId").asText(),
                codes.get(normalized), deviceKeys.registration(4711)), null);
        JsonNode body = ok(response);
        return new Device(body.get("accountId").asText(), body.get("deviceId").asInt(), normalized, deviceKeys);
    }

    public HttpResponse<String> post(String path, Object body, String auth) {
        return send("POST", path, body, auth);
    }

    public HttpResponse<String> put(String path, Object body, String auth) {
        return send("PUT", path, body, auth);
    }

    public HttpResponse<String> get(String path, String auth) {
        return send("GET", path, null, auth);
    }

    public HttpResponse<String> send(String method, String path, Object body, String auth) {
        return http.send(server.port(), method, path, body, auth);
    }

    /** The JSON body of a 200 answer; fails with the body otherwise. */
    public static JsonNode ok(HttpResponse<String> response) {
        return TestHttp.ok(response);
    }

    public static JsonNode parse(HttpResponse<String> response) {
        return TestHttp.parse(response);
    }

    /** A String body is sent as it is; anything else as JSON. */

    @Override
    public void close() {
        server.stop();
        purges.close();
        keys.close();
        accounts.close();
        database.close();
    }
}
