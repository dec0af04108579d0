// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.HttpRouting;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.protocol.DeviceMismatch;
import org.parley.protocol.Frame;
import org.parley.server.ParleyServer;
import org.parley.server.config.ConfigLoader;
import org.parley.server.errors.MismatchedDevices;
import org.parley.server.feature.Feature;
import org.parley.server.storage.StorageBusy;
import org.parley.server.storage.StorageException;

/**
 * Backpressure, not failure: a saturated but healthy database is a 429 with {@code Retry-After} on
 * HTTP and in a WebSocket {@code send-result}; only a database failure is a 503.
 */
class StorageBusyMappingTest {
    @TempDir
    Path dir;

    @Test
    void http_storageBusy_is429WithRetryAfter_andStorageFailureStays503() throws Exception {
        Feature failing = new Feature() {
            @Override
            public void routing(HttpRouting.Builder routing) {
                routing.get("/busy", (req, res) -> {
                    throw new StorageBusy("pool timeout", null);
                });
                routing.get("/down", (req, res) -> {
                    throw new StorageException("connection refused", null);
                });
            }
        };
        WebServer server = ParleyServer.buildWebServer(ConfigLoader.defaultsOnly().withHttp("127.0.0.1", 0, dir),
                List.of(failing)).start();
        try (HttpClient http = HttpClient.newHttpClient()) {
            URI base = URI.create("http://127.0.0.1:" + server.port());
            HttpResponse<String> busy = http.send(HttpRequest.newBuilder(base.resolve("/busy")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(429, busy.statusCode());
            assertEquals("1", busy.headers().firstValue("Retry-After").orElseThrow());
            assertTrue(busy.body().contains("\"error\":\"rate_limited\""), busy.body());

            HttpResponse<String> down = http.send(HttpRequest.newBuilder(base.resolve("/down")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(503, down.statusCode());
            assertTrue(down.body().contains("storage_unavailable"), down.body());
        } finally {
            server.stop();
        }
    }

    @Test
    void sendResult_storageBusy_is429WithRetryAfterSeconds() {
        Frame.SendResult r = ErrorMapping.sendFailed("i", new StorageBusy("pool timeout", null));
        assertEquals(429, r.status());
        assertEquals("rate_limited", r.error().error());
        assertEquals(1L, r.error().retryAfterSeconds());
        assertNull(r.result());
    }

    @Test
    void sendResult_storageFailure_is503_andRefusalsKeepTheirHttpStatusAndLists() {
        assertEquals(503, ErrorMapping.sendFailed("i", new StorageException("down", null)).status());
        assertEquals(500, ErrorMapping.sendFailed("i", new IllegalStateException("bug")).status());
        var mismatch = new DeviceMismatch("acct", List.of(2), List.of());
        Frame.SendResult refused = ErrorMapping.sendFailed("i", new MismatchedDevices("m", List.of(mismatch)));
        assertEquals(409, refused.status());
        assertEquals(List.of(mismatch), refused.error().mismatches());
        assertEquals("i", refused.id());
    }
}
