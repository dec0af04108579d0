// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.parley.protocol.Json;
import org.parley.server.testing.LogCapture;
import org.parley.server.testing.RawHttp;
import org.parley.server.testing.WiredServer;

/**
 * Malformed HTTP over a raw socket gets a 400 {@code invalid_request} (or the connection closed),
 * never a 500, and leaves no stack trace or SEVERE line in the log (issue 9, item 6: each of these
 * used to be {@code 500 {"error":"internal"}} with a stack trace, without authentication).
 */
class MalformedHttpTest {
    @TempDir
    static Path dir;

    private static WiredServer server;
    private LogCapture log;

    @BeforeAll
    static void start() {
        server = WiredServer.start(dir.resolve("data"));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @BeforeEach
    void capture() {
        log = LogCapture.atLeast(Level.WARNING);
    }

    @AfterEach
    void release() {
        log.close();
    }

    private static String chunkedSession(String chunkSize) {
        return "POST /v1/verification/sessions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                + "Transfer-Encoding: chunked\r\n\r\n" + chunkSize + "\r\n{\"handle\":\"+12025550100\"}\r\n0\r\n\r\n";
    }

    /** The one answer must be a 400 JSON error, and the server must close the connection after it. */
    private void assertInvalidRequestThenClosed(RawHttp raw, String what) throws Exception {
        RawHttp.Response res = raw.read(false);
        assertEquals(400, res.status(), what + ": " + res.bodyText());
        JsonNode body = Json.lenient().readTree(res.body());
        assertEquals("invalid_request", body.path("error").asText(), what);
        assertTrue(body.path("message").asText().length() > 10, what);
        assertEquals("close", res.header("Connection"), what);
        assertEquals("", new String(raw.rest()), what + ": nothing may follow the error on this connection");
        assertQuietLog(what);
    }

    /** No SEVERE line and no stack trace (at WARNING or above) for a client's mistake. */
    private void assertQuietLog(String what) {
        assertTrue(log.records().stream().noneMatch(r -> r.getLevel().intValue() >= Level.SEVERE.intValue()
                || r.getThrown() != null), what + " logged:\n" + log.describe());
    }

    @ParameterizedTest
    @ValueSource(strings = {"ZZ", "-1", "", "1x", "ffffffffffff"})
    void badChunkSize_is400AndCloses(String chunkSize) throws Exception {
        try (RawHttp raw = RawHttp.connect(server.port())) {
            raw.write(chunkedSession(chunkSize));
            assertInvalidRequestThenClosed(raw, "chunk size '" + chunkSize + "'");
        }
    }

    @Test
    void badChunkSize_authenticatedEndpoint_is400AndCloses() throws Exception {
        try (RawHttp raw = RawHttp.connect(server.port())) {
            raw.write("POST /v1/directory/lookup HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                    + "Authorization: " + server.deviceAuth() + "\r\nTransfer-Encoding: chunked\r\n\r\nZZ\r\n{}\r\n0\r\n\r\n");
            assertInvalidRequestThenClosed(raw, "chunk size ZZ on an authenticated endpoint");
        }
    }

    @Test
    void contentLengthLongerThanBody_thenHalfClose_is400() throws Exception {
        try (RawHttp raw = RawHttp.connect(server.port())) {
            raw.write("POST /v1/verification/sessions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                    + "Content-Length: 100\r\n\r\n{\"handle\":").halfClose();
            assertInvalidRequestThenClosed(raw, "a body shorter than its Content-Length");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "GET /health/live HTTP/1.1\r\nHost: x\r\n",
        "GET /health/live HTTP/1.1\r\nHost: x",
        "POST /v1/verification/sessions HTTP/1.1\r\nContent-Length: 5\r\n",
        "GET /health/live HTTP/1.1\r\n"})
    void headCutBeforeBlankLine_thenHalfClose_is400OrClosed(String head) throws Exception {
        try (RawHttp raw = RawHttp.connect(server.port())) {
            raw.write(head).halfClose();
            byte[] answer = raw.rest();
            String text = new String(answer, java.nio.charset.StandardCharsets.ISO_8859_1);
            assertTrue(text.isEmpty() || text.startsWith("HTTP/1.1 400 "), "a cut-off head got: " + text);
            if (!text.isEmpty()) {
                assertTrue(text.contains("\"error\":\"invalid_request\""), text);
            }
        }
        assertQuietLog("a head cut off before its blank line");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "POST/v1/directory/lookup HTTP/1.1",
        "GE\u0001T /health/live HTTP/1.1",
        "G(T /health/live HTTP/1.1",
        "GET  HTTP/1.1",
        "GET /health/live HTTP/9.9",
        "GET /health/live HTTP/1.0",
        "GET /health/live"})
    void mangledRequestLine_is400AndCloses(String requestLine) throws Exception {
        try (RawHttp raw = RawHttp.connect(server.port())) {
            raw.write(requestLine + "\r\nHost: x\r\n\r\n");
            assertInvalidRequestThenClosed(raw, "request line '" + requestLine + "'");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"gzip, chunked", "identity", "chunked, chunked"})
    void transferCodingOtherThanChunked_is400AndCloses(String coding) throws Exception {
        try (RawHttp raw = RawHttp.connect(server.port())) {
            raw.write("POST /v1/verification/sessions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                    + "Transfer-Encoding: " + coding + "\r\n\r\n5\r\nhello\r\n0\r\n\r\n");
            assertInvalidRequestThenClosed(raw, "Transfer-Encoding: " + coding);
        }
    }

    @Test
    void garbageHeaderLine_is400() throws Exception {
        try (RawHttp raw = RawHttp.connect(server.port())) {
            raw.write("GET /health/live HTTP/1.1\r\nHost: x\r\nno colon here\r\n\r\n");
            assertInvalidRequestThenClosed(raw, "a header line without a colon");
        }
    }
}
