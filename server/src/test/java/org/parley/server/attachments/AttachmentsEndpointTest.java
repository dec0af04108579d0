// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.attachments;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;
import org.parley.protocol.Json;
import org.parley.protocol.Limits;
import org.parley.server.testing.S3TestServer;
import org.parley.server.testing.WiredServer;
import org.parley.testing.Eventually;
import org.parley.testing.TestClock;

/**
 * The attachment endpoints over real HTTP against the wired server, once with the local store and
 * once with the S3 store on a real S3-compatible server (s3proxy): a resumable upload that survives a
 * connection cut mid-piece, downloads by capability only, the size limit, expiry and the purge.
 */
@ParameterizedClass
@EnumSource(AttachmentsEndpointTest.Store.class)
class AttachmentsEndpointTest {
    enum Store {
        LOCAL, S3
    }

    private static final int CHUNK = Limits.ATTACHMENT_CHUNK_BYTES;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Parameter
    Store store;

    @TempDir
    static Path dir;

    private static S3TestServer s3;

    @BeforeAll
    static void startS3() throws Exception {
        s3 = S3TestServer.start(dir.resolve("s3"));
    }

    @AfterAll
    static void stopS3() throws Exception {
        s3.close();
    }

    private final TestClock clock = new TestClock(java.time.Instant.parse("2026-12-01T10:00:00Z"));

    private WiredServer start(Path data) {
        return WiredServer.start(data, store == Store.S3 ? s3.env() : Map.of(), clock);
    }

    /** Where this store keeps blob bytes. */
    private Path blobs(Path data) {
        return store == Store.S3 ? s3.storage() : data.resolve("attachments");
    }

    @Test
    void upload_cutMidPiece_resumesFromTheReportedOffset_andDownloadsByTokenOnly() throws Exception {
        Path data = dir.resolve("data-resume-" + store);
        try (WiredServer server = start(data)) {
            byte[] blob = new byte[2 * CHUNK + 12345];
            new Random(7).nextBytes(blob);
            JsonNode upload = create(server, blob.length);
            assertEquals(CHUNK, upload.path("chunkSize").asInt());
            String id = upload.path("id").asText();
            String up = upload.path("uploadToken").asText();

            assertEquals(200, patch(server, id, up, 0, Arrays.copyOfRange(blob, 0, CHUNK)).statusCode());
            // The second piece: headers and half its bytes, then the connection drops.
            try (Socket socket = new Socket("127.0.0.1", server.port()); OutputStream out = socket.getOutputStream()) {
                out.write(("PATCH /v1/attachments/" + id + "/upload HTTP/1.1\r\nHost: x\r\nAuthorization: Capability " + up
                        + "\r\nUpload-Offset: " + CHUNK + "\r\nContent-Type: application/offset+octet-stream\r\n"
                        + "Content-Length: " + CHUNK + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                out.write(blob, CHUNK, CHUNK / 2);
                out.flush();
            }
            // Resume: ask for the offset and send the rest from there (the cut request may still be
            // finishing on the server, which answers upload_busy until then).
            AtomicLong offset = new AtomicLong();
            Eventually.eventually(() -> {
                long at = offset(server, id, up);
                if (at < 0) {
                    return false;
                }
                offset.set(at);
                HttpResponse<String> r = patch(server, id, up, at,
                        Arrays.copyOfRange(blob, (int) at, (int) Math.min(blob.length, at + CHUNK)));
                return r.statusCode() == 200;
            }, Duration.ofSeconds(30), "the cut piece is resumed");
            long resumedAt = offset.get();
            assertTrue(resumedAt >= CHUNK && resumedAt <= CHUNK + CHUNK / 2, "resumed at " + resumedAt);
            if (store == Store.S3) {
                assertEquals(CHUNK, resumedAt, "an S3 part is stored whole or not at all");
            }
            long at = offset(server, id, up);
            while (at < blob.length) {
                HttpResponse<String> r = patch(server, id, up, at, Arrays.copyOfRange(blob, (int) at,
                        (int) Math.min(blob.length, at + CHUNK)));
                assertEquals(200, r.statusCode(), r.body());
                at = Json.lenient().readTree(r.body()).path("offset").asLong();
            }
            assertTrue(Json.lenient().readTree(get(server, "/v1/attachments/" + id + "/upload", "Capability " + up).body())
                    .path("complete").asBoolean());

            String down = upload.path("downloadToken").asText();
            HttpResponse<byte[]> fetched = download(server, id, down);
            assertEquals(200, fetched.statusCode());
            assertArrayEquals(blob, fetched.body());
            // The upload token, no token, a device's credentials: all the same 404 as an unknown id.
            for (String auth : new String[] {"Capability " + up, null, server.deviceAuth()}) {
                HttpResponse<byte[]> refused = HTTP.send(request(server, "/v1/attachments/" + id, auth).GET().build(),
                        HttpResponse.BodyHandlers.ofByteArray());
                assertEquals(404, refused.statusCode());
                assertEquals("not_found", Json.lenient().readTree(refused.body()).path("error").asText());
            }
        }
    }

    @Test
    void create_overMaxSize_refusedWithJson413() throws Exception {
        try (WiredServer server = start(dir.resolve("data-size-" + store))) {
            HttpResponse<String> r = HTTP.send(request(server, "/v1/attachments", server.deviceAuth())
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"size\":" + (100L * 1024 * 1024 + 1) + "}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(413, r.statusCode());
            assertEquals("payload_too_large", Json.lenient().readTree(r.body()).path("error").asText());
            // Creating needs a registered device.
            assertEquals(401, HTTP.send(request(server, "/v1/attachments", null).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"size\":10}")).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode());
        }
    }

    @Test
    void blob_afterRetention_is404_andPurgedFromTheStore_unlessRenewed() throws Exception {
        Path data = dir.resolve("data-expiry-" + store);
        try (WiredServer server = start(data)) {
            byte[] marker = ("blob-marker-" + store + "-" + System.nanoTime()).getBytes(StandardCharsets.US_ASCII);
            JsonNode kept = uploadWhole(server, marker);
            JsonNode dropped = uploadWhole(server, marker);
            assertEquals(2, DataFilesCount.containing(blobs(data), marker));

            clock.advance(Duration.ofDays(29));
            HttpResponse<String> renewed = HTTP.send(request(server, "/v1/attachments/" + kept.path("id").asText() + "/renew",
                    "Capability " + kept.path("downloadToken").asText()).POST(HttpRequest.BodyPublishers.noBody()).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, renewed.statusCode(), renewed.body());
            clock.advance(Duration.ofDays(2));

            HttpResponse<byte[]> expired = download(server, dropped.path("id").asText(), dropped.path("downloadToken").asText());
            assertEquals(404, expired.statusCode());
            assertEquals("not_found", Json.lenient().readTree(expired.body()).path("error").asText());
            assertEquals(200, download(server, kept.path("id").asText(), kept.path("downloadToken").asText()).statusCode());

            server.server().purgeNow();
            assertEquals(1, DataFilesCount.containing(blobs(data), marker), "the expired blob's bytes are deleted");
        }
    }

    // ---- helpers --------------------------------------------------------------------------------

    private JsonNode uploadWhole(WiredServer server, byte[] blob) throws Exception {
        JsonNode upload = create(server, blob.length);
        HttpResponse<String> r = patch(server, upload.path("id").asText(), upload.path("uploadToken").asText(), 0, blob);
        assertEquals(200, r.statusCode(), r.body());
        return upload;
    }

    private static JsonNode create(WiredServer server, long size) throws Exception {
        HttpResponse<String> r = HTTP.send(request(server, "/v1/attachments", server.deviceAuth())
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"size\":" + size + "}")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        return Json.lenient().readTree(r.body());
    }

    private static HttpResponse<String> patch(WiredServer server, String id, String token, long offset, byte[] piece) {
        try {
            return HTTP.send(request(server, "/v1/attachments/" + id + "/upload", "Capability " + token)
                    .header("Upload-Offset", Long.toString(offset))
                    .header("Content-Type", "application/offset+octet-stream")
                    .method("PATCH", HttpRequest.BodyPublishers.ofByteArray(piece)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    private static long offset(WiredServer server, String id, String token) {
        try {
            HttpResponse<Void> r = HTTP.send(request(server, "/v1/attachments/" + id + "/upload", "Capability " + token)
                    .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding());
            if (r.statusCode() != 200) {
                return -1;
            }
            return Long.parseLong(r.headers().firstValue("Upload-Offset").orElseThrow());
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    private static HttpResponse<String> get(WiredServer server, String path, String auth) throws Exception {
        return HTTP.send(request(server, path, auth).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<byte[]> download(WiredServer server, String id, String token) throws Exception {
        return HTTP.send(request(server, "/v1/attachments/" + id, "Capability " + token).GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    private static HttpRequest.Builder request(WiredServer server, String path, String auth) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path));
        if (auth != null) {
            b.header("Authorization", auth);
        }
        return b;
    }

    /** How many files under a directory hold {@code needle} (0 when the directory does not exist). */
    private static final class DataFilesCount {
        static int containing(Path root, byte[] needle) throws IOException {
            if (!Files.exists(root)) {
                return 0;
            }
            List<Path> found = org.parley.server.testing.DataFiles.containing(root, needle);
            return found.size();
        }
    }

    static Stream<Store> stores() {
        return Stream.of(Store.values());
    }
}
