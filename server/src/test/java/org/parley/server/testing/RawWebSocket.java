// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.testing;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * A WebSocket client over a plain {@link Socket} that sends whatever frame bytes a test asks for,
 * valid or not (reserved opcodes, invalid UTF-8, fragmented pings), which no WebSocket library
 * would, and reads the server's frames exactly as they arrive.
 */
public final class RawWebSocket implements AutoCloseable {
    /** A frame from the server. */
    public record Frame(boolean fin, int opcode, byte[] payload) {
        /** The close code of a close frame, or -1 if it has none. */
        public int closeCode() {
            return payload.length >= 2 ? ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF) : -1;
        }

        public String text() {
            return new String(payload, opcode == 0x8 && payload.length >= 2 ? 2 : 0,
                    opcode == 0x8 ? Math.max(0, payload.length - 2) : payload.length, StandardCharsets.UTF_8);
        }
    }

    /** How the server ended the connection: its close frame's code (-1 if it sent none), and any text frames before it. */
    public record Ending(int code, String reason, boolean closedWithoutFrame) {}

    private static final SecureRandom RANDOM = new SecureRandom();

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    private RawWebSocket(Socket socket) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
    }

    /** Opens {@code path} on 127.0.0.1:{@code port} with {@code authorization}; fails unless the answer is 101. */
    public static RawWebSocket open(int port, String path, String authorization) throws IOException {
        RawWebSocket ws = new RawWebSocket(new Socket("127.0.0.1", port));
        ws.socket.setSoTimeout(10_000);
        byte[] nonce = new byte[16];
        RANDOM.nextBytes(nonce);
        ws.out.write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nUpgrade: websocket\r\n"
                + "Connection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: "
                + Base64.getEncoder().encodeToString(nonce) + "\r\nAuthorization: " + authorization + "\r\n\r\n")
                .getBytes(StandardCharsets.ISO_8859_1));
        ws.out.flush();
        String head = ws.head();
        if (!head.startsWith("HTTP/1.1 101 ")) {
            ws.close();
            throw new IOException("the upgrade was refused: " + head);
        }
        return ws;
    }

    /** Sends one frame with {@code firstByte} (FIN, RSV and opcode bits) and {@code payload}, masked. */
    public RawWebSocket send(int firstByte, byte[] payload) throws IOException {
        ByteArrayOutputStream frame = new ByteArrayOutputStream();
        frame.write(firstByte);
        if (payload.length < 126) {
            frame.write(0x80 | payload.length);
        } else if (payload.length < 65536) {
            frame.write(0x80 | 126);
            frame.write(payload.length >> 8);
            frame.write(payload.length & 0xFF);
        } else {
            frame.write(0x80 | 127);
            for (int shift = 56; shift >= 0; shift -= 8) {
                frame.write((int) ((long) payload.length >> shift) & 0xFF);
            }
        }
        byte[] mask = new byte[4];
        RANDOM.nextBytes(mask);
        frame.writeBytes(mask);
        for (int i = 0; i < payload.length; i++) {
            frame.write(payload[i] ^ mask[i & 3]);
        }
        return raw(frame.toByteArray());
    }

    public RawWebSocket text(String text) throws IOException {
        return send(0x81, text.getBytes(StandardCharsets.UTF_8));
    }

    /** Writes bytes as they are, for frames {@link #send} cannot express (unmasked, truncated). */
    public RawWebSocket raw(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
        return this;
    }

    /** The next frame from the server; fails if what arrives is not a WebSocket frame (e.g. an HTTP response). */
    public Frame read() throws IOException {
        int b0 = in.read();
        if (b0 < 0) {
            throw new EOFException("the server closed the connection");
        }
        int b1 = readByte();
        if ((b0 & 0x70) != 0 || (b1 & 0x80) != 0) {
            byte[] rest = in.readNBytes(Math.min(in.available(), 200));
            throw new IOException("not a server WebSocket frame: " + new String(new byte[] {(byte) b0, (byte) b1},
                    StandardCharsets.ISO_8859_1) + new String(rest, StandardCharsets.ISO_8859_1));
        }
        long length = b1 & 0x7F;
        if (length == 126) {
            length = (readByte() << 8) | readByte();
        } else if (length == 127) {
            length = 0;
            for (int i = 0; i < 8; i++) {
                length = (length << 8) | readByte();
            }
        }
        return new Frame((b0 & 0x80) != 0, b0 & 0x0F, in.readNBytes((int) length));
    }

    /**
     * Reads frames until the server's close frame, then expects the connection to end. Fails if the
     * server writes anything that is not a WebSocket frame.
     */
    public Ending awaitClose() throws IOException {
        while (true) {
            Frame frame;
            try {
                frame = read();
            } catch (EOFException | SocketException e) {
                return new Ending(-1, null, true);
            } catch (SocketTimeoutException e) {
                throw new AssertionError("the server neither closed nor answered within 10 s", e);
            }
            if (frame.opcode() == 0x8) {
                return new Ending(frame.closeCode(), frame.text(), false);
            }
        }
    }

    /** True if the server closes the TCP connection (after its close frame) within the read timeout. */
    public boolean connectionEnds() throws IOException {
        try {
            return in.read() < 0 || in.readAllBytes().length >= 0;
        } catch (SocketException e) {
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        }
    }

    private int readByte() throws IOException {
        int b = in.read();
        if (b < 0) {
            throw new EOFException("the server closed the connection inside a frame");
        }
        return b;
    }

    private String head() throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            head.write(b);
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
