// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.parley.server.testing.LogCapture;
import org.parley.server.testing.RawHttp;
import org.parley.server.testing.RawWebSocket;
import org.parley.server.testing.WiredServer;

/**
 * RFC 6455 on the delivery WebSocket of the fully wired server, frame by frame over a raw socket
 * (issue 9, items 7 and 8). Before, Helidon 4.5 wrote an HTTP 500 into the WebSocket stream for a
 * reserved opcode, accepted invalid UTF-8 and oversized or fragmented pings, answered close code
 * 999 with 1000 and a 1-byte close payload with 1011, the delivery endpoint took a number as an
 * ack's guid, and a non-base64 {@code Sec-WebSocket-Key} got a 500.
 */
class WebSocketProtocolTest {
    private static final String PATH = "/v1/websocket";

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
    void quietLog() {
        try {
            assertTrue(log.records().stream().noneMatch(r -> r.getLevel().intValue() >= Level.SEVERE.intValue()
                    || r.getThrown() != null), "a client's bad frame logged:\n" + log.describe());
        } finally {
            log.close();
        }
    }

    private static RawWebSocket open() throws Exception {
        return RawWebSocket.open(server.port(), PATH, server.deviceAuth());
    }

    /** Sends the frame, expects a close frame with {@code code} and then the end of the connection. */
    private static void assertClosedWith(int code, int firstByte, byte[] payload, String what) throws Exception {
        try (RawWebSocket ws = open()) {
            ws.send(firstByte, payload);
            RawWebSocket.Ending ending = ws.awaitClose();
            assertFalse(ending.closedWithoutFrame(), what + ": the server dropped the connection without a close frame");
            assertEquals(code, ending.code(), what + " (reason: " + ending.reason() + ")");
            assertTrue(ws.connectionEnds(), what + ": the connection stays open after the close");
        }
    }

    private static byte[] bytes(int... values) {
        byte[] out = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = (byte) values[i];
        }
        return out;
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    private static byte[] closePayload(int code, byte[] reason) {
        return concat(bytes(code >> 8, code & 0xFF), reason);
    }

    @ParameterizedTest
    @ValueSource(ints = {0x3, 0x4, 0x5, 0x6, 0x7, 0xB, 0xC, 0xD, 0xE, 0xF})
    void reservedOpcode_closes1002(int opcode) throws Exception {
        assertClosedWith(1002, 0x80 | opcode, bytes(1, 2, 3), "opcode " + opcode);
    }

    @ParameterizedTest
    @ValueSource(strings = {"C3 28", "FF", "ED A0 80", "C0 AF", "E2 82", "F4 90 80 80"})
    void invalidUtf8Text_closes1007(String hex) throws Exception {
        byte[] invalid = hexBytes(hex);
        assertClosedWith(1007, 0x81, invalid, "text " + hex);
        // Inside the guid of an otherwise valid ack, where the listener used to see only U+FFFD.
        assertClosedWith(1007, 0x81, concat("{\"type\":\"ack\",\"guid\":\"".getBytes(StandardCharsets.US_ASCII), invalid,
                "\"}".getBytes(StandardCharsets.US_ASCII)), "ack with " + hex + " in its guid");
    }

    @Test
    void invalidUtf8_inLaterFragment_closes1007() throws Exception {
        try (RawWebSocket ws = open()) {
            ws.send(0x01, "{\"type\":\"ack\",".getBytes(StandardCharsets.US_ASCII)).send(0x80, bytes(0xC3, 0x28));
            assertEquals(1007, ws.awaitClose().code());
        }
    }

    @Test
    void codePointSplitAcrossFragments_isValidAndConnectionStays() throws Exception {
        byte[] ack = "{\"type\":\"ack\",\"guid\":\"caf\u00e9\"}".getBytes(StandardCharsets.UTF_8);
        int split = indexOf(ack, (byte) 0xC3) + 1; // between the two bytes of the é
        try (RawWebSocket ws = open()) {
            ws.send(0x01, Arrays.copyOfRange(ack, 0, split)).send(0x80, Arrays.copyOfRange(ack, split, ack.length));
            assertPingAnswered(ws, bytes(7, 7, 7));
        }
    }

    @Test
    void ping_upTo125Bytes_isAnsweredWithItsPayload() throws Exception {
        byte[] payload = new byte[125];
        Arrays.fill(payload, (byte) 'p');
        try (RawWebSocket ws = open()) {
            assertPingAnswered(ws, payload);
        }
    }

    private static void assertPingAnswered(RawWebSocket ws, byte[] payload) throws Exception {
        ws.send(0x89, payload);
        for (int i = 0; i < 5; i++) {
            RawWebSocket.Frame frame = ws.read();
            if (frame.opcode() == 0xA) {
                assertArrayEquals(payload, frame.payload());
                return;
            }
            assertTrue(frame.opcode() == 0x1, "expected a pong or a text frame, got opcode " + frame.opcode());
        }
        throw new AssertionError("no pong");
    }

    @Test
    void ping_over125Bytes_closes1002() throws Exception {
        assertClosedWith(1002, 0x89, new byte[126], "a ping of 126 bytes");
    }

    @Test
    void fragmentedPing_closes1002() throws Exception {
        assertClosedWith(1002, 0x09, bytes(1), "a ping without FIN");
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 999, 1004, 1005, 1006, 1015, 1016, 2000, 2999, 5000, 65535})
    void closeCodeThatMayNotBeSent_closes1002(int code) throws Exception {
        assertClosedWith(1002, 0x88, closePayload(code, new byte[0]), "close code " + code);
    }

    @Test
    void closePayloadOfOneByte_closes1002() throws Exception {
        assertClosedWith(1002, 0x88, bytes(3), "a 1-byte close payload");
    }

    @Test
    void closeReasonNotUtf8_closes1007() throws Exception {
        assertClosedWith(1007, 0x88, closePayload(1000, bytes(0xFF, 0xFE)), "a close reason that is not UTF-8");
    }

    @ParameterizedTest
    @ValueSource(ints = {1000, 1001, 1003, 1011, 3000, 4999})
    void validCloseCode_isAnswered1000(int code) throws Exception {
        assertClosedWith(1000, 0x88, closePayload(code, "bye".getBytes(StandardCharsets.UTF_8)), "close code " + code);
    }

    @Test
    void emptyClose_isAnswered1000() throws Exception {
        assertClosedWith(1000, 0x88, new byte[0], "a close without a code");
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"type\":\"ack\",\"guid\":42}", "{\"type\":\"ack\",\"guid\":4.2}",
        "{\"type\":\"ack\",\"guid\":true}", "{\"type\":\"ack\",\"guid\":[\"x\"]}"})
    void ackWhoseGuidIsNotAString_closes1007(String frame) throws Exception {
        try (RawWebSocket ws = open()) {
            ws.text(frame);
            assertEquals(1007, ws.awaitClose().code(), frame);
            // The endpoint started the closing handshake: it ends the connection once the client answers.
            ws.send(0x88, closePayload(1007, new byte[0]));
            assertTrue(ws.connectionEnds(), frame);
        }
    }

    @Test
    void newMessageInsideFragmentedMessage_closes1002() throws Exception {
        try (RawWebSocket ws = open()) {
            ws.send(0x01, "{\"type\"".getBytes(StandardCharsets.US_ASCII)).send(0x81, "{}".getBytes(StandardCharsets.US_ASCII));
            assertEquals(1002, ws.awaitClose().code());
        }
    }

    @Test
    void continuationWithoutMessage_closes1002() throws Exception {
        assertClosedWith(1002, 0x80, "x".getBytes(StandardCharsets.US_ASCII), "a continuation frame first");
    }

    @Test
    void reservedBits_close1002() throws Exception {
        assertClosedWith(1002, 0xC1, "{}".getBytes(StandardCharsets.US_ASCII), "RSV1 set");
    }

    @Test
    void unmaskedFrame_closes1002() throws Exception {
        try (RawWebSocket ws = open()) {
            ws.raw(bytes(0x81, 0x02, '{', '}'));
            assertEquals(1002, ws.awaitClose().code());
        }
    }

    @Test
    void frameOverLimit_closes1009() throws Exception {
        assertClosedWith(1009, 0x82, new byte[64 * 1024 + 1], "a 64 KiB + 1 frame");
    }

    @ParameterizedTest
    @ValueSource(strings = {"!!!notbase64!!!", "AAAA", "dGhlIHNhbXBsZSBub25jZQ==x", "dGhlIHNhbXBsZSBub25jZSEh", ""})
    void upgrade_keyNotBase64Of16Bytes_is400(String key) throws Exception {
        try (RawHttp raw = RawHttp.connect(server.port())) {
            RawHttp.Response res = raw.exchange("GET " + PATH + " HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
                    + "Connection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: " + key + "\r\n"
                    + "Authorization: " + server.deviceAuth() + "\r\n\r\n");
            assertEquals(400, res.status(), "key '" + key + "': " + res.bodyText());
            assertTrue(res.bodyText().contains("\"error\":\"invalid_request\""), res.bodyText());
        }
    }

    private static byte[] hexBytes(String hex) {
        String[] parts = hex.split(" ");
        byte[] out = new byte[parts.length];
        for (int i = 0; i < parts.length; i++) {
            out[i] = (byte) Integer.parseInt(parts[i], 16);
        }
        return out;
    }

    private static int indexOf(byte[] bytes, byte b) {
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == b) {
                return i;
            }
        }
        return -1;
    }
}
