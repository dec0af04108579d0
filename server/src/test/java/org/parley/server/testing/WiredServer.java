// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.testing;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.parley.protocol.Json;
import org.parley.protocol.RegistrationRequest;
import org.parley.protocol.RegistrationResponse;
import org.parley.server.ParleyServer;
import org.parley.server.config.ConfigLoader;

/**
 * The fully wired server (as {@code parley server} runs it) on a random loopback port with a temp
 * data directory, and one device registered through the real HTTP API, for edge tests that talk
 * to it over raw sockets.
 */
public final class WiredServer implements AutoCloseable {
    public static final int REGISTRATION_ID = 4242;

    private final ParleyServer server;
    private final String accountId;
    private final String deviceAuth;
    private final String operatorAuth;

    private WiredServer(ParleyServer server, String accountId, String deviceAuth, String operatorAuth) {
        this.server = server;
        this.accountId = accountId;
        this.deviceAuth = deviceAuth;
        this.operatorAuth = operatorAuth;
    }

    public static WiredServer start(Path dataDir) {
        return start(dataDir, Map.of(), Clock.systemUTC());
    }

    /** With configuration from {@code env} ({@code PARLEY_*} variables) and the given clock. */
    public static WiredServer start(Path dataDir, Map<String, String> env, Clock clock) {
        ParleyServer server = ParleyServer.start(ConfigLoader.load(null, env).withHttp("127.0.0.1", 0, dataDir), clock);
        try {
            TestHttp http = new TestHttp();
            String handle = "+12025550100";
            JsonNode session = TestHttp.ok(http.send(server.port(), "POST", "/v1/verification/sessions",
                    Map.of("handle", handle), null));
            String code = Files.readString(dataDir.resolve("dev-codes").resolve(handle)).strip();
            AccountsTestKeys keys = new AccountsTestKeys();
            RegistrationRequest registration = new RegistrationRequest(session.path("sessionId").asText(), code,
                    keys.registration(REGISTRATION_ID));
            String accountId = Json.lenient().treeToValue(TestHttp.ok(http.send(server.port(), "POST", "/v1/accounts",
                    registration, null)), RegistrationResponse.class).accountId();
            String operator = "Bearer " + Files.readString(dataDir.resolve("admin.token")).strip();
            return new WiredServer(server, accountId, keys.basic(accountId, 1), operator);
        } catch (IOException e) {
            server.close();
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            server.close();
            throw e;
        }
    }

    public int port() {
        return server.port();
    }

    public ParleyServer server() {
        return server;
    }

    public String accountId() {
        return accountId;
    }

    /** The registered device's Authorization header value. */
    public String deviceAuth() {
        return deviceAuth;
    }

    /** The admin operator's Authorization header value. */
    public String operatorAuth() {
        return operatorAuth;
    }

    @Override
    public void close() {
        server.close();
    }
}
