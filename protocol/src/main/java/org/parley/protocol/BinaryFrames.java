// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.protocol;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.ByteArrayOutputStream;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The binary layout of the delivery WebSocket's frames, negotiated with {@value #QUERY} on the
 * upgrade (docs/protocol.md, "Binary frames", documents it byte by byte). The same {@link Frame}
 * records as the JSON text frames, without base64 and without field names: one kind byte, then the
 * fields in a fixed order, big-endian; a string is a u16 length and UTF-8 (0xFFFF: null), bytes are a
 * u32 length and the bytes. A refusal's error stays JSON inside the frame: it is rare, and its
 * lists are what clients already parse.
 */
public final class BinaryFrames {
    /** The query string that selects binary frames on {@code GET /v1/websocket}. */
    public static final String QUERY = "frames=binary";
    /**
     * The query string that selects binary frames plus {@linkplain #BATCH batch frames} on
     * {@code GET /v1/websocket}: either side may then carry several frames in one WebSocket message.
     */
    public static final String BATCH_QUERY = "frames=batch";

    public static final byte ENVELOPE = 1;
    public static final byte QUEUE_EMPTY = 2;
    public static final byte ACK = 3;
    public static final byte SEND = 4;
    public static final byte SEND_RESULT = 5;
    /**
     * Several frames of the kinds above in one WebSocket message (only on a connection opened with
     * {@value #BATCH_QUERY}): a u16 count, then per frame a u32 length and the frame's bytes.
     */
    public static final byte BATCH = 6;

    /** The most frames one batch may carry. */
    public static final int MAX_BATCH_FRAMES = 1024;
    /** The largest batch, all bytes included: the largest client message the server reads. */
    public static final int MAX_BATCH_BYTES = Limits.MAX_BODY_BYTES;
    /** The bytes a batch adds around its frames: the kind and count, then a length per frame. */
    public static final int BATCH_HEADER_BYTES = 3;
    public static final int BATCH_PER_FRAME_BYTES = 4;

    private static final int NULL_STRING = 0xFFFF;

    private BinaryFrames() {}

    // ------------------------------------------------------------------ encoding

    public static byte[] encode(Frame frame) {
        Out out = new Out(frame instanceof Frame.EnvelopeFrame e && e.envelope().content() != null
                ? e.envelope().content().length + 160 : 128);
        switch (frame) {
            case Frame.EnvelopeFrame(Envelope e) -> {
                out.u8(ENVELOPE);
                out.string(e.guid());
                out.string(e.sourceAccountId());
                out.u32(e.sourceDeviceId());
                out.string(e.sourceHandle());
                out.u32(e.destinationDeviceId());
                out.u8(typeCode(e.type()));
                out.i64(e.clientTimestamp());
                out.i64(e.serverTimestamp());
                out.bytes(e.content());
            }
            case Frame.QueueEmpty() -> out.u8(QUEUE_EMPTY);
            case Frame.Ack(String guid) -> {
                out.u8(ACK);
                out.string(guid);
            }
            case Frame.Send(String id, String destination, SendMessageRequest message) -> {
                out.u8(SEND);
                out.string(id);
                out.string(destination);
                out.i64(message.timestamp());
                messages(out, message.messages());
                messages(out, message.syncMessages());
            }
            case Frame.SendResult(String id, int status, SendMessageResponse result, Frame.SendError error) -> {
                out.u8(SEND_RESULT);
                out.string(id);
                out.u16(status);
                if (result != null) {
                    out.u8(1);
                    out.i64(result.serverTimestamp());
                    out.u16(result.guids().size());
                    for (EnvelopeReceipt r : result.guids()) {
                        out.string(r.accountId());
                        out.u32(r.deviceId());
                        out.string(r.guid());
                    }
                } else {
                    out.u8(0);
                    try {
                        out.bytes(Json.strict().writeValueAsBytes(error));
                    } catch (JsonProcessingException e) {
                        throw new IllegalStateException("cannot encode a send error", e);
                    }
                }
            }
        }
        return out.toByteArray();
    }

    private static void messages(Out out, List<OutgoingMessage> messages) {
        out.u8(messages.size());
        for (OutgoingMessage m : messages) {
            out.u32(m.deviceId());
            out.u32(m.registrationId());
            out.u8(typeCode(m.type()));
            out.bytes(m.content());
        }
    }

    private static int typeCode(MessageType type) {
        return switch (type) {
            case PREKEY -> 1;
            case SIGNAL -> 2;
            case SENDER_KEY -> 3;
            case SEALED -> 4;
        };
    }

    private static MessageType type(int code) {
        return switch (code) {
            case 1 -> MessageType.PREKEY;
            case 2 -> MessageType.SIGNAL;
            case 3 -> MessageType.SENDER_KEY;
            case 4 -> MessageType.SEALED;
            default -> throw new IllegalArgumentException("unknown message type code " + code);
        };
    }

    /**
     * One batch frame carrying {@code frames} (each already encoded, none itself a batch), in order.
     *
     * @throws IllegalArgumentException when there are none, more than {@value #MAX_BATCH_FRAMES}, an
     *     empty or batch frame among them, or more than {@link #MAX_BATCH_BYTES} bytes in all
     */
    public static byte[] batch(List<byte[]> frames) {
        if (frames.isEmpty() || frames.size() > MAX_BATCH_FRAMES) {
            throw new IllegalArgumentException("a batch carries 1.." + MAX_BATCH_FRAMES + " frames, not " + frames.size());
        }
        long size = BATCH_HEADER_BYTES;
        for (byte[] f : frames) {
            if (f.length == 0 || f[0] == BATCH) {
                throw new IllegalArgumentException("a batch carries only non-empty frames of the other kinds");
            }
            size += BATCH_PER_FRAME_BYTES + f.length;
        }
        if (size > MAX_BATCH_BYTES) {
            throw new IllegalArgumentException("a batch of " + size + " bytes is over " + MAX_BATCH_BYTES);
        }
        ByteBuffer out = ByteBuffer.allocate((int) size);
        out.put(BATCH).putShort((short) frames.size());
        for (byte[] f : frames) {
            out.putInt(f.length).put(f);
        }
        return out.array();
    }

    /** The bytes {@code frame} adds to a batch it joins. */
    public static int batchedSize(byte[] frame) {
        return BATCH_PER_FRAME_BYTES + frame.length;
    }

    /** True when {@code data} starts like a batch frame (its inner frames are checked by {@link #split}). */
    public static boolean isBatch(byte[] data) {
        return data.length > 0 && data[0] == BATCH;
    }

    /**
     * The frames of a batch, in order, each still encoded (decode them with {@link #decode}).
     *
     * @throws IllegalArgumentException when {@code data} is not exactly one well-formed batch: a count
     *     of 1..{@value #MAX_BATCH_FRAMES}, lengths that stay inside it, no empty or nested batch frame,
     *     nothing after the last frame, at most {@link #MAX_BATCH_BYTES} bytes
     */
    public static List<byte[]> split(byte[] data) {
        if (!isBatch(data)) {
            throw new IllegalArgumentException("not a batch frame");
        }
        if (data.length > MAX_BATCH_BYTES) {
            throw new IllegalArgumentException("a batch is at most " + MAX_BATCH_BYTES + " bytes");
        }
        ByteBuffer in = ByteBuffer.wrap(data, 1, data.length - 1);
        try {
            int n = in.getShort() & 0xFFFF;
            if (n == 0 || n > MAX_BATCH_FRAMES) {
                throw new IllegalArgumentException("a batch carries 1.." + MAX_BATCH_FRAMES + " frames, not " + n);
            }
            List<byte[]> frames = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                int length = in.getInt();
                if (length <= 0 || length > in.remaining()) {
                    throw new IllegalArgumentException("a frame of the batch runs past it or is empty");
                }
                if (data[in.position()] == BATCH) {
                    throw new IllegalArgumentException("a batch inside a batch");
                }
                byte[] f = new byte[length];
                in.get(f);
                frames.add(f);
            }
            if (in.hasRemaining()) {
                throw new IllegalArgumentException(in.remaining() + " bytes after the batch's last frame");
            }
            return frames;
        } catch (BufferUnderflowException e) {
            throw new IllegalArgumentException("the batch ends inside a length", e);
        }
    }

    // ------------------------------------------------------------------ decoding

    /**
     * The frame in {@code data}.
     *
     * @throws IllegalArgumentException when it is not one whole frame of a known kind (trailing bytes
     *     included), or a record's own checks refuse its fields
     */
    public static Frame decode(byte[] data) {
        ByteBuffer in = ByteBuffer.wrap(data);
        try {
            Frame frame = switch (in.get()) {
                case ENVELOPE -> {
                    String guid = string(in);
                    String sourceAccountId = string(in);
                    int sourceDeviceId = in.getInt();
                    String sourceHandle = string(in);
                    int destinationDeviceId = in.getInt();
                    MessageType type = type(in.get() & 0xFF);
                    long clientTimestamp = in.getLong();
                    long serverTimestamp = in.getLong();
                    yield new Frame.EnvelopeFrame(new Envelope(guid, sourceAccountId, sourceDeviceId, sourceHandle,
                            destinationDeviceId, type, bytes(in), clientTimestamp, serverTimestamp));
                }
                case QUEUE_EMPTY -> new Frame.QueueEmpty();
                case ACK -> new Frame.Ack(string(in));
                case SEND -> {
                    String id = string(in);
                    String destination = string(in);
                    long timestamp = in.getLong();
                    List<OutgoingMessage> messages = messages(in);
                    List<OutgoingMessage> sync = messages(in);
                    yield new Frame.Send(id, destination, new SendMessageRequest(timestamp, messages, sync));
                }
                case SEND_RESULT -> sendResult(in);
                case BATCH -> throw new IllegalArgumentException("a batch frame holds several frames: split it");
                default -> throw new IllegalArgumentException("unknown frame kind " + data[0]);
            };
            if (in.hasRemaining()) {
                throw new IllegalArgumentException(in.remaining() + " bytes after the frame");
            }
            return frame;
        } catch (BufferUnderflowException e) {
            throw new IllegalArgumentException("the frame ends inside a field", e);
        }
    }

    /**
     * The id of what starts like a {@code send} frame with a readable id, or null: a send whose id is
     * readable but whose rest is not is answered under that id instead of closing the connection.
     */
    public static String sendId(byte[] data) {
        if (data.length < 3 || data[0] != SEND) {
            return null;
        }
        try {
            ByteBuffer in = ByteBuffer.wrap(data, 1, data.length - 1);
            return string(in);
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static Frame.SendResult sendResult(ByteBuffer in) {
        String id = string(in);
        int status = in.getShort() & 0xFFFF;
        if (in.get() == 1) {
            long serverTimestamp = in.getLong();
            int n = in.getShort() & 0xFFFF;
            List<EnvelopeReceipt> receipts = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                receipts.add(new EnvelopeReceipt(string(in), in.getInt(), string(in)));
            }
            return new Frame.SendResult(id, status, new SendMessageResponse(serverTimestamp, receipts), null);
        }
        try {
            return new Frame.SendResult(id, status, null, Json.lenient().readValue(bytes(in), Frame.SendError.class));
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("the error of a send-result is not JSON", e);
        }
    }

    private static List<OutgoingMessage> messages(ByteBuffer in) {
        int n = in.get() & 0xFF;
        if (n > Limits.MAX_DEVICES_PER_ACCOUNT) {
            throw new IllegalArgumentException("at most " + Limits.MAX_DEVICES_PER_ACCOUNT + " ciphertexts per list");
        }
        List<OutgoingMessage> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(new OutgoingMessage(in.getInt(), in.getInt(), type(in.get() & 0xFF), bytes(in)));
        }
        return out;
    }

    private static String string(ByteBuffer in) {
        int length = in.getShort() & 0xFFFF;
        if (length == NULL_STRING) {
            return null;
        }
        if (length > in.remaining()) {
            throw new IllegalArgumentException("a string runs past the frame");
        }
        ByteBuffer slice = in.slice(in.position(), length);
        in.position(in.position() + length);
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(slice).toString();
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("a string is not UTF-8", e);
        }
    }

    private static byte[] bytes(ByteBuffer in) {
        int length = in.getInt();
        if (length < 0 || length > in.remaining()) {
            throw new IllegalArgumentException("a byte field runs past the frame");
        }
        byte[] b = new byte[length];
        in.get(b);
        return b;
    }

    /** A growable big-endian writer. */
    private static final class Out extends ByteArrayOutputStream {
        Out(int size) {
            super(size);
        }

        void u8(int v) {
            write(v);
        }

        void u16(int v) {
            write(v >>> 8);
            write(v);
        }

        void u32(int v) {
            u16(v >>> 16);
            u16(v & 0xFFFF);
        }

        void i64(long v) {
            u32((int) (v >>> 32));
            u32((int) v);
        }

        void string(String s) {
            if (s == null) {
                u16(NULL_STRING);
                return;
            }
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            if (b.length >= NULL_STRING) {
                throw new IllegalArgumentException("a string of " + b.length + " bytes does not fit a frame field");
            }
            u16(b.length);
            write(b, 0, b.length);
        }

        void bytes(byte[] b) {
            u32(b.length);
            write(b, 0, b.length);
        }
    }
}
