// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.parley.server.testing.LogCapture;
import org.parley.server.testing.WiredServer;

/**
 * Malformed HTTP/1.1 (request lines, headers, chunked and fixed-length bodies, cut-offs anywhere)
 * and malformed WebSocket frames, thrown at the fully wired server over raw sockets. Whatever
 * arrives, the server answers no 5xx, writes only WebSocket frames on an upgraded connection, closes a
 * WebSocket only with a code that names the client's fault, and logs no SEVERE line and no stack
 * trace (issue 9: each of these used to be a 500 with a SEVERE stack trace).
 *
 * <p>Every exchange half-closes its socket after writing, so the server always sees the end of
 * its input and the test never waits on a read timeout. About 15 s on a quiet machine.
 */
class EdgeFuzzTest {
    private static final Pattern STATUS_LINE = Pattern.compile("(?:^|\n)HTTP/1\\.1 (\\d{3}) ");
    /** Close codes that say the client broke a rule (or that it closed first); never 1011. */
    private static final Set<Integer> CLIENT_FAULT_CLOSES = Set.of(1000, 1002, 1003, 1007, 1009);

    private static Path dir;
    private static WiredServer server;
    private static LogCapture log;

    @BeforeContainer
    static void start() throws IOException {
        dir = Files.createTempDirectory("parley-edge-fuzz");
        server = WiredServer.start(dir.resolve("data"));
        log = LogCapture.atLeast(Level.WARNING);
    }

    @AfterContainer
    static void stop() {
        log.close();
        server.close();
    }

    // ---- HTTP -------------------------------------------------------------------------------

    @Property(tries = 400)
    void anyMalformedRequest_noServerErrorNoSevereLog(@ForAll("requests") byte[] request) throws Exception {
        byte[] answer = exchange(request);
        String text = new String(answer, StandardCharsets.ISO_8859_1);
        Matcher m = STATUS_LINE.matcher(text);
        while (m.find()) {
            int status = Integer.parseInt(m.group(1));
            assertTrue(status < 500, "status " + status + " for:\n" + show(request) + "\nanswer:\n" + text);
        }
        assertQuietLog(request);
    }

    @Provide
    Arbitrary<byte[]> requests() {
        Arbitrary<String> method = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(8, Arbitraries.of("GET", "POST", "PUT", "HEAD", "DELETE", "OPTIONS", "PATCH")),
                net.jqwik.api.Tuple.of(1, Arbitraries.of("get", "CONNECT", "TRACE", "POST/v1/directory/lookup", "G\u0000T", "")),
                net.jqwik.api.Tuple.of(1, Arbitraries.strings().withCharRange('\u0000', '\u00ff').ofMaxLength(8)));
        Arbitrary<String> path = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(8, Arbitraries.of("/v1/verification/sessions", "/v1/accounts", "/v1/keys",
                        "/v1/directory/lookup", "/v1/directory/+12025550100", "/v1/messages/" + server.accountId(),
                        "/v1/websocket", "/health/live", "/health/ready", "/.well-known/parley/policy",
                        "/.well-known/parley/policy.html", "/v1/admin/legal/requests", "/v1/admin/audit?limit=x",
                        "/v1/me/data", "/metrics", "/v1/transparency/report?period=2026-H9")),
                net.jqwik.api.Tuple.of(1, Arbitraries.of("*", "/", "//", "/%", "/%zz", "/%00", "/..", "/../../etc/passwd",
                        "http://127.0.0.1/health/live", "/health/live#frag", "/a b", "/\u00e9", "/?" + "q".repeat(3000))),
                net.jqwik.api.Tuple.of(1, Arbitraries.strings().withCharRange('\u0000', '\u00ff').ofMaxLength(30).map(s -> "/" + s)));
        Arbitrary<String> version = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(10, Arbitraries.just("HTTP/1.1")),
                net.jqwik.api.Tuple.of(1, Arbitraries.of("HTTP/1.0", "HTTP/2.0", "HTTP/1.", "HTTP/11", "", "http/1.1",
                        "HTTP/1.1 ", "HTTP/9.9", "HTTP/1.1\u0000")));
        Arbitrary<String> separator = Arbitraries.frequency(
                net.jqwik.api.Tuple.of(12, " "), net.jqwik.api.Tuple.of(1, "  "), net.jqwik.api.Tuple.of(1, "\t"),
                net.jqwik.api.Tuple.of(1, ""));
        Arbitrary<String> eol = Arbitraries.frequency(
                net.jqwik.api.Tuple.of(12, "\r\n"), net.jqwik.api.Tuple.of(1, "\n"), net.jqwik.api.Tuple.of(1, "\r"));
        Arbitrary<List<String>> headers = header().list().ofMaxSize(7);
        Arbitrary<String> body = body();
        Arbitrary<Integer> cutPercent = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(3, Arbitraries.just(100)),
                net.jqwik.api.Tuple.of(1, Arbitraries.integers().between(0, 99)));
        return Combinators.combine(method, separator, path, version, eol, headers, body, cutPercent)
                .as((m, sep, p, v, nl, hs, b, cut) -> {
                    StringBuilder r = new StringBuilder(m).append(sep).append(p).append(sep).append(v).append(nl);
                    for (String h : hs) {
                        r.append(h).append(nl);
                    }
                    r.append(nl).append(b);
                    byte[] bytes = r.toString().getBytes(StandardCharsets.ISO_8859_1);
                    return java.util.Arrays.copyOf(bytes, bytes.length * cut / 100);
                });
    }

    private Arbitrary<String> header() {
        String key = Base64.getEncoder().encodeToString(new byte[16]);
        return Arbitraries.oneOf(
                Arbitraries.of("Host: 127.0.0.1", "Host: 127.0.0.1", "Host: 127.0.0.1:abc", "Host: [::1", "Host: [::1]:x",
                        "Host: x:99999999999", "Host: ", "Host: a b"),
                Arbitraries.of("Content-Type: application/json", "Content-Type: text/plain",
                        "Content-Type: application/json; charset=utf-8", "Content-Type: ;;;", "Content-Type: */*"),
                Arbitraries.of("0", "5", "17", "26", "100", "-1", "abc", "", "99999999999999999999", "5, 6", " 5", "0x10")
                        .map(v -> "Content-Length: " + v),
                Arbitraries.of("chunked", "gzip, chunked", "chunked, chunked", "identity", "", "CHUNKED", "chunked;q=1")
                        .map(v -> "Transfer-Encoding: " + v),
                Arbitraries.of(server.deviceAuth(), server.operatorAuth(), "Basic !!!", "Basic "
                        + Base64.getEncoder().encodeToString("a.1:b".getBytes(StandardCharsets.US_ASCII)), "Bearer ", "Bearer x",
                        "Digest x").map(v -> "Authorization: " + v),
                Arbitraries.of("Expect: 100-continue", "Connection: close", "Connection: keep-alive", "Connection: Upgrade",
                        "Upgrade: websocket", "Upgrade: WebSocket", "Upgrade: h2c", "Sec-WebSocket-Version: 13",
                        "Sec-WebSocket-Version: 8", "Sec-WebSocket-Key: " + key, "Sec-WebSocket-Key: !!",
                        "Sec-WebSocket-Key: AAAA", "Origin: http://127.0.0.1", "Origin: http://evil.example",
                        "Origin: ::::", "Origin: http://[::1", "If-None-Match: *", "If-None-Match: W/\"x\", \"y\"",
                        "Accept-Encoding: gzip", "Content-Encoding: gzip", "X-Forwarded-For: 1.2.3.4, ::1, junk",
                        "Trailer: X", "TE: trailers"),
                Arbitraries.of("no colon here", " obs-fold continuation", ": empty name", "Bad Name: x", "X\u0000Y: z",
                        "X-Long: " + "v".repeat(10_000), "X-Bytes: \u00ff\u00fe\u0001", "Host:127.0.0.1", "X-CR: a\rb"),
                Arbitraries.strings().withCharRange('\u0000', '\u00ff').ofMaxLength(40));
    }

    private Arbitrary<String> body() {
        String json = "{\"handle\":\"+12025550100\"}";
        Arbitrary<String> chunkSize = Arbitraries.oneOf(Arbitraries.just(Integer.toHexString(json.length())),
                Arbitraries.of("ZZ", "-1", "", "1x", "ffffffffffffffff", "0x10", " 5", "5;ext=1", "7fffffff", "0"));
        Arbitrary<String> chunked = Combinators.combine(chunkSize, Arbitraries.of("\r\n", "\n", ""),
                Arbitraries.of("0\r\n\r\n", "0\r\nX-Trailer: y\r\n\r\n", "", "0\r\n", "1\r\n"))
                .as((size, crlf, end) -> size + "\r\n" + json + crlf + end);
        return Arbitraries.oneOf(
                Arbitraries.just(""),
                Arbitraries.just(json),
                chunked,
                Arbitraries.strings().withCharRange('\u0000', '\u00ff').ofMaxLength(200));
    }

    // ---- WebSocket --------------------------------------------------------------------------

    /** One client frame: its first byte, whether it is masked, its payload and how much of it is sent. */
    record WsFrame(int firstByte, boolean masked, byte[] payload, boolean truncated) {}

    @Property(tries = 150)
    void anyFrameSequence_onlyFramesBackAndClientFaultCloses(@ForAll("frameSequences") List<WsFrame> frames) throws Exception {
        ByteArrayOutputStream request = new ByteArrayOutputStream();
        request.writeBytes(("GET /v1/websocket HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: " + Base64.getEncoder().encodeToString(new byte[16])
                + "\r\nAuthorization: " + server.deviceAuth() + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
        for (WsFrame f : frames) {
            request.writeBytes(encode(f));
        }
        byte[] answer = exchange(request.toByteArray());
        String text = new String(answer, StandardCharsets.ISO_8859_1);
        int headEnd = text.indexOf("\r\n\r\n");
        assertTrue(text.startsWith("HTTP/1.1 101 ") && headEnd > 0, "the upgrade failed: " + text);
        checkServerFrames(java.util.Arrays.copyOfRange(answer, headEnd + 4, answer.length), frames);
        assertQuietLog(request.toByteArray());
    }

    @Provide
    Arbitrary<List<WsFrame>> frameSequences() {
        Arbitrary<Integer> firstByte = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(6, Arbitraries.of(0x81, 0x01, 0x80, 0x00, 0x82, 0x88, 0x89, 0x8A, 0x09)),
                net.jqwik.api.Tuple.of(2, Arbitraries.integers().between(0, 255)));
        Arbitrary<byte[]> payload = Arbitraries.oneOf(
                Arbitraries.of("{\"type\":\"ack\",\"guid\":\"00000000-0000-0000-0000-000000000000\"}",
                        "{\"type\":\"ack\",\"guid\":42}", "{\"type\":\"ack\"}", "{\"type\":\"envelope\"}", "{}", "[]",
                        "caf\u00e9", "\u20ac").map(s -> s.getBytes(StandardCharsets.UTF_8)),
                Arbitraries.bytes().array(byte[].class).ofMaxSize(140),
                Arbitraries.of(new byte[] {0x03, (byte) 0xE7}, new byte[] {0x03}, new byte[] {0x03, (byte) 0xE8, (byte) 0xFF},
                        new byte[] {0x0F, (byte) 0xA0}, new byte[126], new byte[5000]));
        Arbitrary<WsFrame> frame = Combinators.combine(firstByte,
                        Arbitraries.frequency(net.jqwik.api.Tuple.of(12, true), net.jqwik.api.Tuple.of(1, false)),
                        payload,
                        Arbitraries.frequency(net.jqwik.api.Tuple.of(12, false), net.jqwik.api.Tuple.of(1, true)))
                .as(WsFrame::new);
        return frame.list().ofMinSize(1).ofMaxSize(6);
    }

    private static byte[] encode(WsFrame f) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int length = f.payload().length;
        out.write(f.firstByte());
        int maskBit = f.masked() ? 0x80 : 0;
        if (length < 126) {
            out.write(maskBit | length);
        } else {
            out.write(maskBit | 126);
            out.write(length >> 8);
            out.write(length & 0xFF);
        }
        byte[] mask = {0x12, 0x34, 0x56, 0x78};
        if (f.masked()) {
            out.writeBytes(mask);
        }
        int sent = f.truncated() ? length / 2 : length;
        for (int i = 0; i < sent; i++) {
            out.write(f.masked() ? f.payload()[i] ^ mask[i & 3] : f.payload()[i]);
        }
        return out.toByteArray();
    }

    /** What the server wrote after the 101 must parse as unmasked server frames, a close only with a client-fault code. */
    private static void checkServerFrames(byte[] bytes, List<WsFrame> sent) {
        int at = 0;
        while (at < bytes.length) {
            String where = "server frame at byte " + at + " after frames " + describe(sent) + ": "
                    + new String(bytes, at, Math.min(80, bytes.length - at), StandardCharsets.ISO_8859_1);
            assertTrue(bytes.length - at >= 2, where);
            int b0 = bytes[at] & 0xFF;
            int b1 = bytes[at + 1] & 0xFF;
            int opcode = b0 & 0x0F;
            assertTrue((b0 & 0x70) == 0 && (b1 & 0x80) == 0 && Set.of(0x1, 0x8, 0x9, 0xA).contains(opcode), where);
            long length = b1 & 0x7F;
            int header = 2;
            if (length == 126) {
                length = ((bytes[at + 2] & 0xFF) << 8) | (bytes[at + 3] & 0xFF);
                header = 4;
            } else if (length == 127) {
                length = 0;
                for (int i = 0; i < 8; i++) {
                    length = (length << 8) | (bytes[at + 2 + i] & 0xFF);
                }
                header = 10;
            }
            assertTrue(at + header + length <= bytes.length, "a truncated " + where);
            if (opcode == 0x8) {
                int code = length >= 2 ? ((bytes[at + header] & 0xFF) << 8) | (bytes[at + header + 1] & 0xFF) : -1;
                assertTrue(CLIENT_FAULT_CLOSES.contains(code), "close code " + code + ", " + where);
            }
            at += header + (int) length;
        }
    }

    private static String describe(List<WsFrame> frames) {
        StringBuilder out = new StringBuilder("[");
        for (WsFrame f : frames) {
            out.append(String.format("%02x%s/%d%s ", f.firstByte(), f.masked() ? "" : " unmasked", f.payload().length,
                    f.truncated() ? " cut" : ""));
        }
        return out.append(']').toString();
    }

    // ---- shared -----------------------------------------------------------------------------

    /** Writes {@code request}, half-closes, and returns everything the server sends until it closes. */
    private static byte[] exchange(byte[] request) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(10_000);
            try {
                socket.getOutputStream().write(request);
                socket.shutdownOutput();
            } catch (SocketException e) {
                // The server closed first (it refused what it had read so far); read what it said.
            }
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            InputStream in = socket.getInputStream();
            byte[] buffer = new byte[8192];
            try {
                for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                    answer.write(buffer, 0, n);
                }
            } catch (SocketException e) {
                // A reset after the server closed with our bytes unread: the answer is complete.
            } catch (SocketTimeoutException e) {
                throw new AssertionError("the server kept the connection open 10 s after the end of its input:\n"
                        + show(request) + "\nanswer so far:\n" + answer.toString(StandardCharsets.ISO_8859_1), e);
            }
            return answer.toByteArray();
        }
    }

    private static void assertQuietLog(byte[] request) {
        List<LogRecord> bad = log.records().stream()
                .filter(r -> r.getLevel().intValue() >= Level.SEVERE.intValue() || r.getThrown() != null)
                .toList();
        if (!bad.isEmpty()) {
            String described = log.describe();
            log.clear();
            throw new AssertionError("a malformed input logged a SEVERE line or a stack trace:\n" + described
                    + "input:\n" + show(request));
        }
    }

    private static String show(byte[] request) {
        String text = new String(request, StandardCharsets.ISO_8859_1);
        return (text.length() > 600 ? text.substring(0, 600) + "..." : text)
                .replace("\r", "\\r").replace("\n", "\\n\n").replace("\u0000", "\\0");
    }
}
