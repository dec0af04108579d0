// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.http.websocket;

import io.helidon.common.buffers.DataReader;
import io.helidon.webserver.CloseConnectionException;
import io.helidon.websocket.WsCloseCodes;
import io.helidon.websocket.WsSession;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;

/**
 * Reads a client's WebSocket frames off the connection ahead of Helidon's {@code WsConnection},
 * and hands each on only once it is a valid RFC 6455 frame. Helidon 4.5 checks the reserved bits,
 * the mask and the length, but not the rest:
 * <ul>
 *   <li>a reserved opcode escapes its frame reader as an {@code IllegalArgumentException}, which
 *       the HTTP/1 connection under the WebSocket answers by writing an {@code HTTP/1.1 500}
 *       response into the WebSocket stream;</li>
 *   <li>text is decoded with replacement characters, so invalid UTF-8 is accepted (section 8.1
 *       says fail with 1007);</li>
 *   <li>control frames over 125 bytes or fragmented are accepted (section 5.5: 1002);</li>
 *   <li>a close frame with a 1-byte payload makes it fail with 1011; a close code that may not be
 *       sent (999, 1005, 1006, 2000...) is answered 1000 (section 7.4: 1002);</li>
 *   <li>a new data frame in the middle of a fragmented message is taken as a new message.</li>
 * </ul>
 * On such a frame this check sends the close frame itself, through Helidon's session (so that
 * Helidon knows a close was sent and does not answer with another), then hands Helidon a client
 * close frame with the same code instead of the bad frame: the listener hears {@code onClose},
 * and the connection ends. The bad frame's bytes never reach Helidon.
 *
 * <p>One instance per connection, used by the connection's own thread only (the session field is
 * set by that thread, before the first frame is read).
 */
final class FrameCheck implements Supplier<byte[]> {
    private static final int OP_CONTINUATION = 0x0;
    private static final int OP_TEXT = 0x1;
    private static final int OP_BINARY = 0x2;
    private static final int OP_CLOSE = 0x8;
    private static final int OP_PING = 0x9;
    private static final int OP_PONG = 0xA;
    private static final int MAX_CONTROL_PAYLOAD = 125;

    private final DataReader source;
    private final int maxFrameLength;
    private final DataReader checked;
    private final CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    private WsSession session;

    /** A data message whose final fragment has not come yet. */
    private boolean inMessage;
    private boolean inText;
    /** The start of a UTF-8 sequence that the previous fragment of a text message ended in. */
    private byte[] pendingUtf8 = new byte[0];
    /** A close frame has been handed on: the client may send nothing after it. */
    private boolean done;

    FrameCheck(DataReader source, int maxFrameLength) {
        this.source = source;
        this.maxFrameLength = maxFrameLength;
        this.checked = DataReader.create(this);
    }

    /** What Helidon's WebSocket connection reads instead of the connection's own reader. */
    DataReader reader() {
        return checked;
    }

    /** Helidon's connection, once upgraded: the close frames this check sends go through it. */
    void session(WsSession session) {
        this.session = session;
    }

    /** The bytes of the next valid frame; at the end of the stream, Helidon's end-of-data exception. */
    @Override
    public byte[] get() {
        if (done) {
            return null;
        }
        try {
            return nextFrame();
        } catch (Violation v) {
            done = true;
            if (session == null) {
                throw new CloseConnectionException("invalid WebSocket frame before the session opened");
            }
            session.close(v.code, v.getMessage());
            return clientClose(v.code, v.getMessage());
        }
    }

    private byte[] nextFrame() {
        ByteArrayOutputStream frame = new ByteArrayOutputStream();
        int b0 = next(frame);
        boolean fin = (b0 & 0x80) != 0;
        int opcode = b0 & 0x0F;
        if ((b0 & 0x70) != 0) {
            throw new Violation(WsCloseCodes.PROTOCOL_ERROR, "reserved bits set; no extension was negotiated");
        }
        boolean control = opcode >= OP_CLOSE;
        if (opcode != OP_CONTINUATION && opcode != OP_TEXT && opcode != OP_BINARY
                && opcode != OP_CLOSE && opcode != OP_PING && opcode != OP_PONG) {
            throw new Violation(WsCloseCodes.PROTOCOL_ERROR, "reserved opcode " + opcode);
        }
        int b1 = next(frame);
        if ((b1 & 0x80) == 0) {
            throw new Violation(WsCloseCodes.PROTOCOL_ERROR, "client frames must be masked");
        }
        long length = b1 & 0x7F;
        if (length == 126) {
            length = (next(frame) << 8) | next(frame);
        } else if (length == 127) {
            length = 0;
            for (int i = 0; i < 8; i++) {
                length = (length << 8) | next(frame);
            }
            if (length < 0) {
                throw new Violation(WsCloseCodes.PROTOCOL_ERROR, "payload length over 2^63");
            }
        }
        if (control && !fin) {
            throw new Violation(WsCloseCodes.PROTOCOL_ERROR, "control frames must not be fragmented");
        }
        if (control && length > MAX_CONTROL_PAYLOAD) {
            throw new Violation(WsCloseCodes.PROTOCOL_ERROR, "control frame payload over 125 bytes");
        }
        if (length > maxFrameLength) {
            throw new Violation(WsCloseCodes.TOO_BIG, "frame over " + maxFrameLength + " bytes");
        }
        byte[] mask = source.readBytes(4);
        byte[] masked = length == 0 ? new byte[0] : source.readBytes((int) length);
        frame.writeBytes(mask);
        frame.writeBytes(masked);

        switch (opcode) {
            case OP_CONTINUATION -> {
                if (!inMessage) {
                    throw new Violation(WsCloseCodes.PROTOCOL_ERROR, "continuation frame without a message to continue");
                }
                if (inText) {
                    checkUtf8(unmask(masked, mask), fin);
                }
                inMessage = !fin;
            }
            case OP_TEXT, OP_BINARY -> {
                if (inMessage) {
                    throw new Violation(WsCloseCodes.PROTOCOL_ERROR, "new message before the final fragment of the last");
                }
                inMessage = !fin;
                inText = opcode == OP_TEXT;
                if (inText) {
                    pendingUtf8 = new byte[0];
                    utf8.reset();
                    checkUtf8(unmask(masked, mask), fin);
                }
            }
            case OP_CLOSE -> {
                checkClosePayload(unmask(masked, mask));
                done = true;
            }
            default -> {
                // ping and pong: any payload up to 125 bytes
            }
        }
        return frame.toByteArray();
    }

    private int next(ByteArrayOutputStream frame) {
        int b = source.read() & 0xFF;
        frame.write(b);
        return b;
    }

    /**
     * Checks one fragment of a text message as UTF-8. A code point may be split between
     * fragments, so the bytes of an incomplete one at the end wait for the next fragment.
     */
    private void checkUtf8(byte[] fragment, boolean last) {
        ByteBuffer in = ByteBuffer.allocate(pendingUtf8.length + fragment.length).put(pendingUtf8).put(fragment).flip();
        CharBuffer out = CharBuffer.allocate(in.remaining() + 1);
        CoderResult result = utf8.decode(in, out, last);
        if (result.isError() || (last && utf8.flush(out).isError())) {
            throw new Violation(WsCloseCodes.NOT_CONSISTENT, "text message is not valid UTF-8");
        }
        pendingUtf8 = new byte[in.remaining()];
        in.get(pendingUtf8);
        if (last) {
            utf8.reset();
        }
    }

    private void checkClosePayload(byte[] payload) {
        if (payload.length == 1) {
            throw new Violation(WsCloseCodes.PROTOCOL_ERROR, "close payload of 1 byte; a close code takes 2");
        }
        if (payload.length >= 2) {
            int code = ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF);
            if (!sendableCloseCode(code)) {
                throw new Violation(WsCloseCodes.PROTOCOL_ERROR, "close code " + code + " may not be sent");
            }
            try {
                utf8.reset();
                utf8.decode(ByteBuffer.wrap(payload, 2, payload.length - 2));
            } catch (CharacterCodingException e) {
                throw new Violation(WsCloseCodes.NOT_CONSISTENT, "close reason is not valid UTF-8");
            }
        }
    }

    /**
     * The codes an endpoint may put in a close frame: those RFC 6455 section 7.4.1 defines for
     * sending, the IANA-registered 1012 to 1014, and 3000 to 4999 for libraries and applications.
     * 1005, 1006 and 1015 only report what happened locally and must never be sent.
     */
    static boolean sendableCloseCode(int code) {
        return (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1014) || (code >= 3000 && code <= 4999);
    }

    private static byte[] unmask(byte[] masked, byte[] mask) {
        byte[] out = new byte[masked.length];
        for (int i = 0; i < masked.length; i++) {
            out[i] = (byte) (masked[i] ^ mask[i & 3]);
        }
        return out;
    }

    /** A masked client close frame with {@code code} and {@code reason}, for Helidon to read. */
    static byte[] clientClose(int code, String reason) {
        byte[] text = reason.getBytes(StandardCharsets.UTF_8);
        byte[] payload = new byte[2 + text.length];
        payload[0] = (byte) (code >> 8);
        payload[1] = (byte) code;
        System.arraycopy(text, 0, payload, 2, text.length);
        byte[] frame = new byte[2 + 4 + payload.length];
        frame[0] = (byte) (0x80 | OP_CLOSE);
        frame[1] = (byte) (0x80 | payload.length);
        // An all-zero mask leaves the payload as it is; the client's frames are what RFC 6455 masks.
        System.arraycopy(payload, 0, frame, 6, payload.length);
        return frame;
    }

    /** A frame that breaks RFC 6455: the close code to answer with and a reason of at most 123 bytes. */
    private static final class Violation extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final int code;

        Violation(int code, String reason) {
            super(reason, null, false, false);
            this.code = code;
        }
    }
}
