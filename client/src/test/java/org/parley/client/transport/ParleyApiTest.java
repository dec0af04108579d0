// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.client.transport;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.parley.client.error.ParleyApiException;
import org.parley.client.error.ParleyStateException;
import org.parley.client.error.ParleyTransportException;
import org.parley.protocol.LookupResult;
import org.parley.protocol.Route;

/**
 * The HTTP plumbing against a canned local HTTP server: what goes on the wire (path encoding, auth) and
 * how error answers map. The protocol flows themselves are tested end to end against the real server.
 */
class ParleyApiTest {
    private HttpServer server;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final AtomicReference<HttpExchange> lastRequest = new AtomicReference<>();
    private volatile int status = 200;
    private volatile String body = "{}";
    private volatile String retryAfter;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            lastRequest.set(exchange);
            byte[] bytes = body.getBytes(UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            if (retryAfter != null) {
                exchange.getResponseHeaders().add("Retry-After", retryAfter);
            }
            exchange.sendResponseHeaders(status, status == 204 ? -1 : bytes.length);
            if (status != 204) {
                exchange.getResponseBody().write(bytes);
            }
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
        http.close();
    }

    private ParleyApi api(DeviceCredentials credentials) {
        return new ParleyApi(URI.create("http://127.0.0.1:" + server.getAddress().getPort()), http,
                Duration.ofSeconds(5), credentials);
    }

    @Test
    void lookup_phoneHandle_isPercentEncodedAndAuthenticated() {
        body = "{\"handle\":\"+12025550143\",\"route\":\"sms\"}";

        LookupResult result = api(new DeviceCredentials("acc", 1, "pw")).lookup("+12025550143");

        assertEquals(Route.SMS, result.route());
        assertEquals("/v1/directory/%2B12025550143", lastRequest.get().getRequestURI().getRawPath());
        assertEquals(new DeviceCredentials("acc", 1, "pw").authorizationHeader(),
                lastRequest.get().getRequestHeaders().getFirst("Authorization"));
    }

    @Test
    void errorAnswer_parleyJson_mapsToApiException() {
        status = 403;
        body = "{\"error\":\"invalid_code\",\"message\":\"wrong code, 4 attempts left\",\"attemptsRemaining\":4}";

        ParleyApiException e = assertThrows(ParleyApiException.class,
                () -> api(null).startVerification("+12025550143"));

        assertEquals(403, e.status());
        assertEquals("invalid_code", e.error());
        assertEquals("wrong code, 4 attempts left", e.serverMessage());
        assertTrue(e.body().contains("attemptsRemaining"));
        assertEquals("application/json", lastRequest.get().getRequestHeaders().getFirst("Content-Type"));
    }

    @Test
    void errorAnswer_rateLimited_carriesRetryAfter() {
        status = 429;
        body = "{\"error\":\"rate_limited\",\"message\":\"too many lookups\"}";
        retryAfter = "3600";

        ParleyApiException e = assertThrows(ParleyApiException.class,
                () -> api(new DeviceCredentials("acc", 1, "pw")).lookup("bob@example.org"));

        assertEquals(3600L, e.retryAfterSeconds().orElseThrow());
    }

    @Test
    void errorAnswer_notJson_mapsToGenericApiException() {
        status = 502;
        body = "<html>bad gateway</html>";

        ParleyApiException e = assertThrows(ParleyApiException.class,
                () -> api(new DeviceCredentials("acc", 1, "pw")).preKeyCounts());

        assertEquals("http_502", e.error());
        assertEquals("the server answered HTTP 502", e.serverMessage());
    }

    @Test
    void success_withUnreadableBody_isTransportError() {
        body = "not json";

        assertThrows(ParleyTransportException.class, () -> api(new DeviceCredentials("acc", 1, "pw")).preKeyCounts());
    }

    @Test
    void deviceEndpoint_withoutCredentials_failsLocally() {
        assertThrows(ParleyStateException.class, () -> api(null).preKeyCounts());
        assertEquals(null, lastRequest.get());
    }

    @Test
    void unreachableServer_isTransportError() {
        int port = server.getAddress().getPort();
        server.stop(0);
        ParleyApi api = new ParleyApi(URI.create("http://127.0.0.1:" + port), http, Duration.ofSeconds(2), null);

        ParleyTransportException e = assertThrows(ParleyTransportException.class, () -> api.startVerification("+12025550143"));
        assertTrue(e.getMessage().contains("127.0.0.1:" + port), e.getMessage());
    }
}
