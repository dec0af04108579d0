// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.delivery;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.parley.protocol.Frame;
import org.parley.protocol.Json;

/**
 * A real WebSocket client ({@code java.net.http}) for delivery tests: collects whole text messages
 * (reassembling the parts the JDK hands over for big frames), acks on request only, and records how
 * the server closed the connection.
 */
public final class WsTestClient implements WebSocket.Listener, AutoCloseable {
    /** How the connection ended: a close frame's code and reason, or an error. */
    public record Closed(int code, String reason, Throwable error) {}

    private final BlockingQueue<String> texts = new LinkedBlockingQueue<>();
    private final CompletableFuture<Closed> closed = new CompletableFuture<>();
    private final StringBuilder partial = new StringBuilder();
    private final java.io.ByteArrayOutputStream partialBinary = new java.io.ByteArrayOutputStream();
    private final java.util.concurrent.atomic.AtomicInteger pings = new java.util.concurrent.atomic.AtomicInteger();
    private final java.util.concurrent.atomic.AtomicInteger batches = new java.util.concurrent.atomic.AtomicInteger();
    private volatile WebSocket ws;

    private WsTestClient() {}

    /** Connects with {@code authorization} (may be null); fails with the handshake error. */
    public static WsTestClient connect(URI uri, String authorization) throws Exception {
        WsTestClient client = new WsTestClient();
        WebSocket.Builder builder = HttpClient.newHttpClient().newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10));
        if (authorization != null) {
            builder.header("Authorization", authorization);
        }
        try {
            client.ws = builder.buildAsync(uri, client).get(10, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
        return client;
    }

    @Override
    public void onOpen(WebSocket webSocket) {
        ws = webSocket;
        webSocket.request(1);
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        synchronized (partial) {
            partial.append(data);
            if (last) {
                texts.add(partial.toString());
                partial.setLength(0);
            }
        }
        webSocket.request(1);
        return null;
    }

    /** Counts the server's pings; the JDK answers each with a pong by itself. */
    @Override
    public CompletionStage<?> onPing(WebSocket webSocket, ByteBuffer message) {
        pings.incrementAndGet();
        webSocket.request(1);
        return null;
    }

    /** How many pings the server has sent (its keepalive). */
    public int pings() {
        return pings.get();
    }

    /**
     * Binary frames (the binary protocol) are decoded and queued as their JSON text form, so that
     * {@link #next} reads both protocols alike.
     */
    @Override
    public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
        synchronized (partialBinary) {
            byte[] chunk = new byte[data.remaining()];
            data.get(chunk);
            partialBinary.writeBytes(chunk);
            if (last) {
                byte[] whole = partialBinary.toByteArray();
                partialBinary.reset();
                try {
                    if (org.parley.protocol.BinaryFrames.isBatch(whole)) {
                        // A batch frame (?frames=batch): its frames are queued one by one, in order.
                        java.util.List<byte[]> inner = org.parley.protocol.BinaryFrames.split(whole);
                        batches.incrementAndGet();
                        for (byte[] f : inner) {
                            texts.add(binaryAsText(f));
                        }
                    } else {
                        texts.add(binaryAsText(whole));
                    }
                } catch (JsonProcessingException | IllegalArgumentException e) {
                    texts.add("undecodable binary frame: " + e.getMessage());
                }
            }
        }
        webSocket.request(1);
        return null;
    }

    private static String binaryAsText(byte[] frame) throws JsonProcessingException {
        return org.parley.protocol.Json.strict().writerFor(org.parley.protocol.Frame.class)
                .writeValueAsString(org.parley.protocol.BinaryFrames.decode(frame));
    }

    /** How many batch frames the server has sent (each counted once, whatever it carried). */
    public int batches() {
        return batches.get();
    }

    /** One client frame in the binary layout (only meaningful on a {@code ?frames=binary} connection). */
    public void sendBinaryFrame(org.parley.protocol.Frame frame) {
        sendBinary(org.parley.protocol.BinaryFrames.encode(frame));
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        closed.complete(new Closed(statusCode, reason, null));
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        closed.complete(new Closed(-1, null, error));
    }

    /** The next frame from the server. */
    public Frame next(Duration timeout) throws InterruptedException {
        String text = texts.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (text == null) {
            throw new AssertionError("no frame within " + timeout);
        }
        try {
            return Json.lenient().readValue(text, Frame.class);
        } catch (JsonProcessingException e) {
            throw new AssertionError("the server sent a frame that is not valid JSON", e);
        }
    }

    /** The next text message as it came, for sockets whose frames are not delivery {@link Frame}s. */
    public String nextText(Duration timeout) throws InterruptedException {
        String text = texts.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (text == null) {
            throw new AssertionError("no frame within " + timeout);
        }
        return text;
    }

    public Frame next() throws InterruptedException {
        return next(Duration.ofSeconds(10));
    }

    /** The next frame, which must be an envelope. */
    public Frame.EnvelopeFrame nextEnvelope() throws InterruptedException {
        Frame frame = next();
        if (!(frame instanceof Frame.EnvelopeFrame envelope)) {
            throw new AssertionError("expected an envelope, got " + frame);
        }
        return envelope;
    }

    /** Asserts that nothing arrives for {@code wait}. */
    public void expectSilence(Duration wait) throws InterruptedException {
        String text = texts.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
        if (text != null) {
            throw new AssertionError("expected no frame, got " + text.substring(0, Math.min(200, text.length())));
        }
    }

    public void ack(String guid) {
        sendText("{\"type\":\"ack\",\"guid\":\"" + guid + "\"}");
    }

    public void sendText(String text) {
        ws.sendText(text, true).join();
    }

    /** One text message in fragments of at most {@code fragmentChars} characters (RFC 6455 continuation frames). */
    public void sendFragmented(String text, int fragmentChars) {
        for (int start = 0; start < text.length(); start += fragmentChars) {
            int end = Math.min(text.length(), start + fragmentChars);
            try {
                ws.sendText(text.substring(start, end), end == text.length()).join();
            } catch (java.util.concurrent.CompletionException e) {
                return; // the server closed the connection part-way: what the caller waits to see
            }
        }
    }

    public void sendBinary(byte[] bytes) {
        ws.sendBinary(ByteBuffer.wrap(bytes), true).join();
    }

    /** Waits for the server's close frame. */
    public Closed awaitClose(Duration timeout) throws Exception {
        try {
            return closed.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError("the server did not close the connection within " + timeout, e);
        }
    }

    public boolean isClosed() {
        return closed.isDone();
    }

    /** Drops the TCP connection without a close frame, as a crashing client or a lost network does. */
    public void abort() {
        ws.abort();
    }

    @Override
    public void close() {
        WebSocket socket = ws;
        if (socket == null || closed.isDone()) {
            if (socket != null) {
                socket.abort();
            }
            return;
        }
        try {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(5, TimeUnit.SECONDS);
            closed.get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            // The test is over; drop the connection.
        } finally {
            socket.abort();
        }
    }
}
