// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.bench;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import javax.net.ssl.SSLSocketFactory;
import org.parley.client.crypto.DecryptionException;
import org.parley.client.crypto.Plaintext;
import org.parley.client.crypto.SessionCrypto;
import org.parley.protocol.BinaryFrames;
import org.parley.protocol.Envelope;
import org.parley.protocol.Frame;
import org.parley.protocol.Json;

/**
 * One simulated device's delivery WebSocket (RFC 6455), lean: a blocking socket read by one virtual
 * thread, each envelope's guid found by a string search, the envelope decrypted only in {@code real}
 * crypto mode, and the ack written at once from the same thread. The JDK's WebSocket client cost the
 * load generator several times more CPU per frame, CPU that the server under test then lacked.
 * Server pings are answered; a close frame from the server ends the connection.
 *
 * <p>With batch frames ({@link FrameFormat#BATCH}) the acks of everything already read wait until
 * the socket has no more bytes at hand, then go out together, and every binary frame goes through
 * an outbox that the thread holding the write lock drains as one message (flat combining: sends of
 * several sender threads ready at once, and the acks queued before them, share one write).
 */
final class Receiver {
    /** What a scenario does with delivery events; called on the receiver's thread, one at a time. */
    interface Handler {
        /** An envelope arrived (before it is decrypted and acked). */
        void envelope(Receiver receiver, String guid, long nanos);

        /** The ack for {@code guid} has been written. */
        void acked(Receiver receiver, String guid, long nanos);

        default void queueEmpty(Receiver receiver, long nanos) {}

        /** The connection ended unexpectedly, or an envelope could not be decrypted. */
        default void failed(Receiver receiver, String what) {}
    }

    private static final Duration CLOSE_GRACE = Duration.ofSeconds(5);
    /**
     * The most acks held back while more bytes are at hand: a server that keeps the socket busy must
     * still see acks, or its window for this device fills and delivery stalls.
     */
    private static final int MAX_ACKS_HELD = 64;

    private final SimDevice device;
    private final boolean decrypt;
    /** Binary frames negotiated ({@code ?frames=binary}): envelopes, acks, sends and answers in that layout. */
    private final boolean binary;
    /** Batch frames negotiated ({@code ?frames=batch}): binary frames combine through {@link #outbox}. */
    private final boolean batch;
    private final FrameFormat frames;
    /** Binary frames waiting for the next write, in order; drained only under {@link #writeLock}. */
    private final java.util.concurrent.ConcurrentLinkedQueue<byte[]> outbox = new java.util.concurrent.ConcurrentLinkedQueue<>();
    /** Guids whose acks are queued but not yet written (the reading thread's only). */
    private final java.util.List<String> ackedPending = new java.util.ArrayList<>();
    private final Handler handler;
    private final ReentrantLock writeLock = new ReentrantLock();
    private final AtomicBoolean closing = new AtomicBoolean();
    private final CompletableFuture<Void> ended = new CompletableFuture<>();
    private Socket socket;
    private InputStream in;
    private OutputStream out;
    private volatile boolean open = true;
    private final java.util.concurrent.ConcurrentHashMap<String, CompletableFuture<SendPath.Answer>> pendingSends =
            new java.util.concurrent.ConcurrentHashMap<>();
    private final java.util.concurrent.atomic.AtomicLong nextSendId = new java.util.concurrent.atomic.AtomicLong();

    private Receiver(SimDevice device, boolean decrypt, Handler handler, FrameFormat frames) {
        this.frames = frames;
        this.binary = frames.binary();
        this.batch = frames == FrameFormat.BATCH;
        this.device = device;
        this.decrypt = decrypt;
        this.handler = handler;
    }

    /** Opens the device's delivery WebSocket; the future fails when the upgrade is refused or times out. */
    static CompletableFuture<Receiver> connect(BenchTarget target, SimDevice device, boolean decrypt, Handler handler,
                                               Duration timeout) {
        return connect(target, device, decrypt, handler, timeout, FrameFormat.JSON);
    }

    /** As above; {@code frames} is what the upgrade asks for. */
    static CompletableFuture<Receiver> connect(BenchTarget target, SimDevice device, boolean decrypt, Handler handler,
                                               Duration timeout, FrameFormat frames) {
        Receiver receiver = new Receiver(device, decrypt, handler, frames);
        CompletableFuture<Receiver> result = new CompletableFuture<>();
        Thread.ofVirtual().name("bench-ws").start(() -> {
            try {
                receiver.handshake(target.server(), timeout);
            } catch (IOException | RuntimeException e) {
                receiver.closeSocket();
                receiver.ended.complete(null);
                result.completeExceptionally(e);
                return;
            }
            result.complete(receiver);
            receiver.readLoop();
        });
        return result;
    }

    SimDevice device() {
        return device;
    }

    boolean isOpen() {
        return open;
    }

    private void handshake(URI server, Duration timeout) throws IOException {
        boolean tls = "https".equalsIgnoreCase(server.getScheme());
        int port = server.getPort() > 0 ? server.getPort() : tls ? 443 : 80;
        Socket s = tls ? SSLSocketFactory.getDefault().createSocket() : new Socket();
        socket = s;
        s.setTcpNoDelay(true);
        s.connect(new InetSocketAddress(server.getHost(), port), (int) timeout.toMillis());
        s.setSoTimeout((int) timeout.toMillis());
        in = new BufferedInputStream(s.getInputStream(), 4096);
        out = s.getOutputStream();
        String path = (server.getRawPath() == null ? "" : server.getRawPath().replaceAll("/$", "")) + "/v1/websocket"
                + frames.query();
        WsFrames.handshake(in, out, server.getHost(), port, path, device.authorization());
        s.setSoTimeout(0); // idle connections are normal; the server pings them
    }

    private void readLoop() {
        StringBuilder partial = new StringBuilder();
        java.io.ByteArrayOutputStream partialBinary = new java.io.ByteArrayOutputStream();
        boolean inBinary = false;
        try {
            while (true) {
                WsFrames.Frame frame = WsFrames.read(in);
                int opcode = frame.opcode();
                byte[] payload = frame.payload();
                if (opcode == WsFrames.CLOSE) {
                    if (closing.compareAndSet(false, true)) {
                        // The server started the close: answer it, as RFC 6455 asks.
                        writeFrame(WsFrames.CLOSE, payload.length >= 2 ? new byte[] {payload[0], payload[1]} : new byte[0]);
                    }
                    if (open) {
                        int code = payload.length >= 2 ? ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF) : 1005;
                        handler.failed(this, "closed by server: " + code);
                    }
                    break;
                } else if (opcode == WsFrames.PING) {
                    writeFrame(WsFrames.PONG, payload);
                } else if (opcode == WsFrames.BINARY || (opcode == WsFrames.CONTINUATION && inBinary)) {
                    inBinary = !frame.fin();
                    partialBinary.writeBytes(payload);
                    if (frame.fin()) {
                        byte[] whole = partialBinary.toByteArray();
                        partialBinary.reset();
                        if (batch && BinaryFrames.isBatch(whole)) {
                            for (byte[] inner : BinaryFrames.split(whole)) {
                                onBinary(inner);
                            }
                        } else {
                            onBinary(whole);
                        }
                    }
                } else if (opcode == WsFrames.TEXT || opcode == WsFrames.CONTINUATION) {
                    partial.append(new String(payload, StandardCharsets.UTF_8));
                    if (frame.fin()) {
                        String text = partial.toString();
                        partial.setLength(0);
                        onText(text);
                    }
                }
                if (!ackedPending.isEmpty() && (in.available() == 0 || ackedPending.size() >= MAX_ACKS_HELD)) {
                    writeAcks(); // nothing more at hand: the acks of all that was read, at once
                }
            }
        } catch (IOException e) {
            if (open && !closing.get()) {
                handler.failed(this, "connection error: " + e.getClass().getSimpleName());
            }
        } catch (IllegalArgumentException e) {
            handler.failed(this, "malformed batch frame from the server: " + e.getMessage());
        } finally {
            open = false;
            closeSocket();
            IOException gone = new IOException("the delivery WebSocket ended");
            pendingSends.values().forEach(f -> f.completeExceptionally(gone));
            ended.complete(null);
        }
    }

    /**
     * Sends one message over this delivery WebSocket: a {@code send} frame with {@code body} (the JSON of
     * a {@code PUT /v1/messages} body, spliced in as is) and waits for its {@code send-result}.
     */
    SendPath.Answer send(String destination, Payloads payloads, long timeout, TimeUnit unit) throws IOException {
        String id = Long.toString(nextSendId.incrementAndGet(), 36);
        byte[] frame;
        if (binary) {
            frame = BinaryFrames.encode(new Frame.Send(id, destination, payloads.nextRequest()));
        } else {
            byte[] body = payloads.nextBody();
            byte[] head = ("{\"type\":\"send\",\"id\":\"" + id + "\",\"destination\":\"" + destination + "\",\"message\":")
                    .getBytes(StandardCharsets.US_ASCII);
            frame = new byte[head.length + body.length + 1];
            System.arraycopy(head, 0, frame, 0, head.length);
            System.arraycopy(body, 0, frame, head.length, body.length);
            frame[frame.length - 1] = '}';
        }
        CompletableFuture<SendPath.Answer> answer = new CompletableFuture<>();
        pendingSends.put(id, answer);
        try {
            if (!open) {
                throw new IOException("the delivery WebSocket is closed");
            }
            if (batch) {
                writeCombined(frame);
            } else {
                writeFrame(binary ? WsFrames.BINARY : WsFrames.TEXT, frame);
            }
            return answer.get(timeout, unit);
        } catch (java.util.concurrent.ExecutionException e) {
            throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IOException("no send-result within the timeout", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } finally {
            pendingSends.remove(id);
        }
    }

    private static final String SEND_RESULT = "{\"type\":\"send-result\",\"id\":\"";

    /** Completes the waiting send of a {@code send-result} frame (compact JSON, id first: see docs/protocol.md). */
    private void onSendResult(String text) {
        int idStart = SEND_RESULT.length();
        int idEnd = text.indexOf('"', idStart);
        int statusAt = text.indexOf("\"status\":", idEnd);
        if (idEnd < 0 || statusAt < 0) {
            handler.failed(this, "unreadable send-result");
            return;
        }
        int p = statusAt + "\"status\":".length();
        int status = 0;
        while (p < text.length() && Character.isDigit(text.charAt(p))) {
            status = status * 10 + (text.charAt(p++) - '0');
        }
        CompletableFuture<SendPath.Answer> waiting = pendingSends.get(text.substring(idStart, idEnd));
        if (waiting != null) {
            waiting.complete(new SendPath.Answer(status, status == 200 ? Guids.find(text) : null));
        }
    }

    /**
     * A binary frame (docs/protocol.md, "Binary frames"): read without a full decode where a string
     * search did for JSON: the kind byte, then the guid or id that follows it.
     */
    private void onBinary(byte[] frame) throws IOException {
        if (frame.length == 0) {
            return;
        }
        switch (frame[0]) {
            case BinaryFrames.SEND_RESULT -> {
                int idLength = ((frame[1] & 0xFF) << 8) | (frame[2] & 0xFF);
                String id = new String(frame, 3, idLength, StandardCharsets.UTF_8);
                int p = 3 + idLength;
                int status = ((frame[p] & 0xFF) << 8) | (frame[p + 1] & 0xFF);
                String guid = null;
                if (status == 200) {
                    Frame.SendResult r = (Frame.SendResult) BinaryFrames.decode(frame);
                    guid = r.result().guids().getFirst().guid();
                }
                CompletableFuture<SendPath.Answer> waiting = pendingSends.get(id);
                if (waiting != null) {
                    waiting.complete(new SendPath.Answer(status, guid));
                }
            }
            case BinaryFrames.ENVELOPE -> {
                if (!open) {
                    return;
                }
                long now = System.nanoTime();
                int guidLength = ((frame[1] & 0xFF) << 8) | (frame[2] & 0xFF);
                String guid = new String(frame, 3, guidLength, StandardCharsets.UTF_8);
                handler.envelope(this, guid, now);
                if (decrypt) {
                    decrypt(((Frame.EnvelopeFrame) BinaryFrames.decode(frame)).envelope());
                }
                byte[] ack = BinaryFrames.encode(new Frame.Ack(guid));
                if (batch) {
                    outbox.add(ack); // written with the acks of everything else at hand (readLoop)
                    ackedPending.add(guid);
                } else {
                    writeFrame(WsFrames.BINARY, ack);
                    handler.acked(this, guid, System.nanoTime());
                }
            }
            case BinaryFrames.QUEUE_EMPTY -> handler.queueEmpty(this, System.nanoTime());
            default -> handler.failed(this, "unknown binary frame kind " + frame[0]);
        }
    }

    private void onText(String text) throws IOException {
        if (text.startsWith(SEND_RESULT)) {
            onSendResult(text);
            return;
        }
        if (!open) {
            return; // closing: nothing more is acked
        }
        long now = System.nanoTime();
        String guid = Guids.find(text);
        if (guid == null) {
            if (text.contains("\"queue-empty\"")) {
                handler.queueEmpty(this, now);
            }
            return;
        }
        handler.envelope(this, guid, now);
        if (decrypt) {
            decrypt(text);
        }
        writeFrame(WsFrames.TEXT, Guids.ack(guid).getBytes(StandardCharsets.UTF_8));
        handler.acked(this, guid, System.nanoTime());
    }

    /** The client library's decrypt path: parse the frame, decrypt under the session, decode the plaintext. */
    private void decrypt(String text) {
        try {
            decrypt(((Frame.EnvelopeFrame) Json.lenient().readValue(text, Frame.class)).envelope());
        } catch (IOException | ClassCastException e) {
            handler.failed(this, "decrypt: " + e.getClass().getSimpleName());
        }
    }

    private void decrypt(Envelope e) {
        try {
            byte[] plain;
            device.lock().lock();
            try {
                plain = new SessionCrypto(device.store()).decrypt(
                        SessionCrypto.address(e.sourceAccountId(), e.sourceDeviceId()), e.type(), e.content());
            } finally {
                device.lock().unlock();
            }
            Plaintext.decode(plain);
        } catch (DecryptionException failure) {
            handler.failed(this, "decrypt " + failure.reason());
        } catch (RuntimeException failure) {
            handler.failed(this, "decrypt: " + failure.getClass().getSimpleName());
        }
    }

    /** Writes the queued acks (with anything else queued) and reports them acked. */
    private void writeAcks() throws IOException {
        writeCombined(null);
        long now = System.nanoTime();
        for (String guid : ackedPending) {
            handler.acked(this, guid, now);
        }
        ackedPending.clear();
    }

    /**
     * Queues {@code frame} (null: nothing) and writes everything queued: one batch frame, or the frame
     * itself when it is alone. A frame another thread's write took along is not written twice.
     */
    private void writeCombined(byte[] frame) throws IOException {
        if (frame != null) {
            outbox.add(frame);
        }
        writeLock.lock();
        try {
            if (writeOutbox()) {
                out.flush();
            }
        } finally {
            writeLock.unlock();
        }
    }

    /** Drains the outbox into as few messages as the batch bounds allow, unflushed; true if it wrote. */
    private boolean writeOutbox() throws IOException {
        java.util.List<byte[]> frames = new java.util.ArrayList<>();
        int bytes = BinaryFrames.BATCH_HEADER_BYTES;
        for (byte[] f = outbox.poll(); f != null; f = outbox.poll()) {
            if (frames.size() == BinaryFrames.MAX_BATCH_FRAMES
                    || bytes + BinaryFrames.batchedSize(f) > BinaryFrames.MAX_BATCH_BYTES) {
                writeMessage(frames);
                frames.clear();
                bytes = BinaryFrames.BATCH_HEADER_BYTES;
            }
            frames.add(f);
            bytes += BinaryFrames.batchedSize(f);
        }
        if (frames.isEmpty()) {
            return false;
        }
        writeMessage(frames);
        return true;
    }

    private void writeMessage(java.util.List<byte[]> frames) throws IOException {
        writeUnflushed(WsFrames.BINARY, frames.size() == 1 ? frames.getFirst() : BinaryFrames.batch(frames));
    }

    /** Writes one masked client frame (RFC 6455 5.3); the mask key is random per frame. */
    private void writeFrame(int opcode, byte[] payload) throws IOException {
        writeLock.lock();
        try {
            writeOutbox(); // nothing queued may be overtaken
            writeUnflushed(opcode, payload);
            out.flush();
        } finally {
            writeLock.unlock();
        }
    }

    /** One message, fragmented when large; called with the write lock held. */
    private void writeUnflushed(int opcode, byte[] payload) throws IOException {
        if (payload.length <= WsFrames.MAX_CLIENT_FRAGMENT) {
            out.write(WsFrames.encode(opcode, payload));
        } else {
            // The server takes frames of at most 64 KiB; a larger message goes in fragments.
            for (int start = 0; start < payload.length; start += WsFrames.MAX_CLIENT_FRAGMENT) {
                int end = Math.min(payload.length, start + WsFrames.MAX_CLIENT_FRAGMENT);
                out.write(WsFrames.encode(start == 0 ? opcode : WsFrames.CONTINUATION,
                        java.util.Arrays.copyOfRange(payload, start, end), end == payload.length));
            }
        }
    }

    /**
     * Closes politely: sends a close frame and lets the server answer it. Dropping the socket at once
     * would make the kernel reset the connection, and a reset discards acks still unread in the
     * server's socket buffer (they would be delivered again on the next connection). The server answers
     * the close frame only after handling every frame before it, so when the returned future completes,
     * the server has processed all acks of this connection. Drops the socket after a grace period.
     */
    CompletableFuture<Void> close() {
        return close(CLOSE_GRACE);
    }

    /** As {@link #close()}, waiting up to {@code grace} for the server's answer. */
    CompletableFuture<Void> close(Duration grace) {
        open = false;
        if (!closing.compareAndSet(false, true) || ended.isDone()) {
            return ended;
        }
        try {
            writeFrame(WsFrames.CLOSE, new byte[] {0x03, (byte) 0xE8}); // 1000 normal closure
        } catch (IOException e) {
            closeSocket();
            ended.complete(null);
            return ended;
        }
        CompletableFuture.delayedExecutor(grace.toMillis(), TimeUnit.MILLISECONDS).execute(() -> {
            closeSocket();
            ended.complete(null);
        });
        return ended;
    }

    private void closeSocket() {
        Socket s = socket;
        if (s != null) {
            try {
                s.close();
            } catch (IOException e) {
                // already closed
            }
        }
    }
}
