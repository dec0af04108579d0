// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.bench;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;

/** The client side of RFC 6455 that {@link Receiver} needs: the opening handshake and frame coding. */
final class WsFrames {
    static final int CONTINUATION = 0x0;
    static final int TEXT = 0x1;
    static final int BINARY = 0x2;
    static final int CLOSE = 0x8;
    static final int PING = 0x9;
    static final int PONG = 0xA;
    private static final String ACCEPT_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
    private static final long MAX_FRAME = 16L << 20;
    /** The largest frame a client writes; the server's limit is 64 KiB per frame. */
    static final int MAX_CLIENT_FRAGMENT = 32 * 1024;

    /** One frame from the server (never masked). */
    record Frame(int opcode, boolean fin, byte[] payload) {}

    private WsFrames() {}

    /** Sends the upgrade request and checks the 101 answer; throws with the status line when refused. */
    static void handshake(InputStream in, OutputStream out, String host, int port, String path, String authorization)
            throws IOException {
        byte[] nonce = new byte[16];
        ThreadLocalRandom.current().nextBytes(nonce);
        String key = Base64.getEncoder().encodeToString(nonce);
        String request = "GET " + path + " HTTP/1.1\r\n"
                + "Host: " + host + ":" + port + "\r\n"
                + "Upgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: " + key + "\r\nSec-WebSocket-Version: 13\r\n"
                + "Authorization: " + authorization + "\r\n\r\n";
        out.write(request.getBytes(StandardCharsets.US_ASCII));
        out.flush();
        String status = readLine(in);
        String accept = null;
        for (String line = readLine(in); !line.isEmpty(); line = readLine(in)) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().toLowerCase(Locale.ROOT).equals("sec-websocket-accept")) {
                accept = line.substring(colon + 1).trim();
            }
        }
        if (!status.startsWith("HTTP/1.1 101")) {
            throw new IOException("the server refused the delivery WebSocket: " + status);
        }
        if (!expectedAccept(key).equals(accept)) {
            throw new IOException("the server's Sec-WebSocket-Accept does not match");
        }
    }

    static String expectedAccept(String key) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-1").digest((key + ACCEPT_GUID).getBytes(StandardCharsets.US_ASCII));
            return Base64.getEncoder().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static Frame read(InputStream in) throws IOException {
        int b0 = in.read();
        int b1 = in.read();
        if (b0 < 0 || b1 < 0) {
            throw new EOFException("the server closed the connection");
        }
        long length = b1 & 0x7F;
        if (length == 126) {
            length = (readByte(in) << 8) | readByte(in);
        } else if (length == 127) {
            length = 0;
            for (int i = 0; i < 8; i++) {
                length = (length << 8) | readByte(in);
            }
        }
        if (length > MAX_FRAME || length < 0) {
            throw new IOException("a frame of " + length + " bytes");
        }
        byte[] mask = (b1 & 0x80) != 0 ? in.readNBytes(4) : null;
        byte[] payload = in.readNBytes((int) length);
        if (payload.length != length) {
            throw new EOFException("the server closed the connection inside a frame");
        }
        if (mask != null) {
            for (int i = 0; i < payload.length; i++) {
                payload[i] ^= mask[i & 3];
            }
        }
        return new Frame(b0 & 0x0F, (b0 & 0x80) != 0, payload);
    }

    private static int readByte(InputStream in) throws IOException {
        int b = in.read();
        if (b < 0) {
            throw new EOFException("the server closed the connection inside a frame header");
        }
        return b;
    }

    /** One final client frame, masked with a random key as RFC 6455 5.3 requires. */
    static byte[] encode(int opcode, byte[] payload) {
        return encode(opcode, payload, true);
    }

    /** One client frame; {@code fin} false for all but the last fragment of a message. */
    static byte[] encode(int opcode, byte[] payload, boolean fin) {
        int n = payload.length;
        int headerLength = 2 + (n < 126 ? 0 : n < 65536 ? 2 : 8) + 4;
        byte[] frame = new byte[headerLength + n];
        frame[0] = (byte) ((fin ? 0x80 : 0) | opcode);
        int p;
        if (n < 126) {
            frame[1] = (byte) (0x80 | n);
            p = 2;
        } else if (n < 65536) {
            frame[1] = (byte) (0x80 | 126);
            frame[2] = (byte) (n >>> 8);
            frame[3] = (byte) n;
            p = 4;
        } else {
            frame[1] = (byte) (0x80 | 127);
            for (int i = 0; i < 8; i++) {
                frame[2 + i] = (byte) ((long) n >>> (56 - 8 * i));
            }
            p = 10;
        }
        int mask = ThreadLocalRandom.current().nextInt();
        for (int i = 0; i < 4; i++) {
            frame[p + i] = (byte) (mask >>> (24 - 8 * i));
        }
        for (int i = 0; i < n; i++) {
            frame[headerLength + i] = (byte) (payload[i] ^ frame[p + (i & 3)]);
        }
        return frame;
    }

    static String readLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        while (true) {
            int c = in.read();
            if (c < 0) {
                throw new EOFException("connection closed during the WebSocket handshake");
            }
            if (c == '\n') {
                int len = line.length();
                return len > 0 && line.charAt(len - 1) == '\r' ? line.substring(0, len - 1) : line.toString();
            }
            line.append((char) c);
        }
    }
}
