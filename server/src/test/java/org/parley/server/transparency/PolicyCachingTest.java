// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.transparency;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.parley.protocol.Json;
import org.parley.server.ParleyServer;
import org.parley.server.config.ConfigLoader;
import org.parley.server.testing.RawHttp;
import org.parley.testing.TestClock;

/**
 * The published policy is rendered once and served from memory with a strong ETag (issue 9, item
 * 10: it used to be rebuilt on every request, at about 300 requests/s).
 */
class PolicyCachingTest {
    private static final String[] PATHS = {"/.well-known/parley/policy", "/.well-known/parley/policy.html"};

    @TempDir
    Path dir;

    private final TestClock clock = new TestClock(Instant.parse("2026-12-01T10:00:00Z"));
    private final HttpClient http = HttpClient.newHttpClient();
    private ParleyServer server;

    @BeforeEach
    void start() {
        server = ParleyServer.start(ConfigLoader.load(null, Map.of()).withHttp("127.0.0.1", 0, dir.resolve("data")), clock);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private HttpResponse<String> get(String path, String ifNoneMatch) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(server.uri().resolve(path));
        if (ifNoneMatch != null) {
            b.header("If-None-Match", ifNoneMatch);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"/.well-known/parley/policy", "/.well-known/parley/policy.html"})
    void get_later_sameBytesSameStrongEtag(String path) throws Exception {
        HttpResponse<String> first = get(path, null);
        clock.advance(Duration.ofDays(1));
        HttpResponse<String> second = get(path, null);

        assertEquals(200, first.statusCode(), first.body());
        assertEquals(first.body(), second.body(), "rendered once, not per request");
        String etag = first.headers().firstValue("ETag").orElseThrow();
        assertTrue(etag.matches("\"[A-Za-z0-9_-]{22}\""), "a strong entity tag: " + etag);
        assertEquals(etag, second.headers().firstValue("ETag").orElseThrow());
        assertEquals("public, no-cache", first.headers().firstValue("Cache-Control").orElseThrow());
    }

    @ParameterizedTest
    @ValueSource(strings = {"/.well-known/parley/policy", "/.well-known/parley/policy.html"})
    void get_ifNoneMatchCurrentEtag_is304WithoutBody(String path) throws Exception {
        String etag = get(path, null).headers().firstValue("ETag").orElseThrow();
        for (String condition : new String[] {etag, "W/" + etag, "\"other\", " + etag, "*"}) {
            HttpResponse<String> res = get(path, condition);
            assertEquals(304, res.statusCode(), "If-None-Match: " + condition);
            assertEquals("", res.body());
            assertEquals(etag, res.headers().firstValue("ETag").orElseThrow());
            assertEquals("public, no-cache", res.headers().firstValue("Cache-Control").orElseThrow());
        }
        HttpResponse<String> stale = get(path, "\"an-older-policy\"");
        assertEquals(200, stale.statusCode());
        assertFalse(stale.body().isEmpty());
    }

    @ParameterizedTest
    @ValueSource(strings = {"/.well-known/parley/policy", "/.well-known/parley/policy.html"})
    void get_jsonAndHtml_differentEtags(String path) throws Exception {
        String other = path.endsWith(".html") ? PATHS[0] : PATHS[1];
        assertNotEquals(get(path, null).headers().firstValue("ETag").orElseThrow(),
                get(other, null).headers().firstValue("ETag").orElseThrow());
    }

    /**
     * With Nagle's algorithm on (Helidon's default), each 15 KB answer on a keep-alive connection
     * waited for the client's delayed ACK: never under 40 ms. Without it, about 1 ms; the bound
     * leaves room for a loaded machine.
     */
    @org.junit.jupiter.api.Test
    void get_policyOnKeepAliveConnection_noDelayedAckStall() throws Exception {
        long[] millis = new long[21];
        try (RawHttp raw = RawHttp.connect(server.port())) {
            for (int i = 0; i < millis.length; i++) {
                long start = System.nanoTime();
                RawHttp.Response res = raw.exchange("GET " + PATHS[0] + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
                millis[i] = (System.nanoTime() - start) / 1_000_000;
                assertEquals(200, res.status());
                assertTrue(res.body().length > 8192, "the policy is several segments long");
            }
        }
        java.util.Arrays.sort(millis);
        assertTrue(millis[millis.length / 2] < 35, "median " + millis[millis.length / 2] + " ms per request");
    }

    @org.junit.jupiter.api.Test
    void policy_generatedAt_isStartUpTime() throws Exception {
        clock.advance(Duration.ofHours(5));
        String generatedAt = Json.lenient().readTree(get(PATHS[0], null).body()).get("generatedAt").asText();
        assertEquals("2026-12-01T10:00:00Z", generatedAt);
    }
}
