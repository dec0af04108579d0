// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.legal;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.parley.protocol.LegalIntakeRequest;
import org.parley.protocol.RegistrationRequest;
import org.parley.server.HostTools;
import org.parley.server.ParleyServer;
import org.parley.server.config.ConfigLoader;
import org.parley.server.config.ServerConfig;
import org.parley.server.testing.AccountsTestKeys;
import org.parley.testing.TestClock;
import org.parley.server.testing.TestHttp;

/**
 * The whole Parley server on a random loopback port with a hand-moved clock, plus the host tools
 * (tokens, audit trail) on the same data directory, as an operator would have them.
 */
final class LegalTestServer implements AutoCloseable {
    static final Instant START = Instant.parse("2026-11-27T10:00:00Z");

    final TestClock clock = new TestClock(START);
    final ParleyServer server;
    final HostTools host;
    final Path dataDir;
    private final TestHttp http = new TestHttp();
    private final HttpClient raw = HttpClient.newHttpClient();

    LegalTestServer(Path dir, UnaryOperator<ServerConfig> configure) {
        ServerConfig config = configure.apply(ConfigLoader.defaultsOnly().withHttp("127.0.0.1", 0, dir));
        server = ParleyServer.start(config, clock);
        dataDir = server.config().http().dataDir();
        host = HostTools.open(server.config(), clock);
    }

    /** A new operator token with {@code role}; returns the token. */
    String token(String name, String role) {
        return host.tokens().create("host:test", name, role);
    }

    String adminToken() {
        try {
            return Files.readString(dataDir.resolve("admin.token")).strip();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    record Device(String accountId, String handle, String auth) {}

    /** Registers {@code handle} through the real verification flow (development sender). */
    Device register(String handle) {
        JsonNode session = TestHttp.ok(send("POST", "/v1/verification/sessions", Map.of("handle", handle), null));
        String normalized = session.get("handle").asText();
        String code;
        try {
            code = Files.readString(dataDir.resolve("dev-codes").resolve(normalized)).strip();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        AccountsTestKeys keys = new AccountsTestKeys();
        JsonNode account = TestHttp.ok(send("POST", "/v1/accounts",
                new RegistrationRequest(session.get("sessionId").asText(), code, keys.registration(4711)), null));
        String accountId = account.get("accountId").asText();
        return new Device(accountId, normalized, keys.basic(accountId, account.get("deviceId").asInt()));
    }

    /**
     * Registers a court order (the test requests' one shape: Bob's handle, November 2026) as the operator
     * {@code adminToken} and returns its id; fails the test unless the intake answers 201.
     */
    long registerRequest(String adminToken, String type, List<String> categories) {
        LegalIntakeRequest body = new LegalIntakeRequest(type, "District Court, Example County", "CASE-2026-0042",
                "2026-11-27", List.of("bob@example.org"), "2026-11-01", "2026-11-30", categories, null,
                List.of("E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855"));
        HttpResponse<String> r = op("POST", "/v1/admin/legal/requests", body, adminToken);
        if (r.statusCode() != 201) {
            throw new AssertionError("intake answered " + r.statusCode() + ": " + r.body());
        }
        return TestHttp.parse(r).get("id").asLong();
    }

    HttpResponse<String> send(String method, String path, Object body, String auth) {
        return http.send(server.port(), method, path, body, auth);
    }

    /** Operator call with a bearer token. */
    HttpResponse<String> op(String method, String path, Object body, String token) {
        return send(method, path, body, token == null ? null : "Bearer " + token);
    }

    HttpResponse<byte[]> bytes(String path, String token) {
        try {
            return raw.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                    .header("Authorization", "Bearer " + token).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        host.close();
        server.close();
    }
}
