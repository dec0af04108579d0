// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.client.transport;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.parley.protocol.SendMessageRequest;
import org.parley.protocol.SendMessageResponse;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.parley.client.error.ParleyApiException;
import org.parley.client.error.ParleyTransportException;
import org.parley.protocol.Frame;
import org.parley.protocol.Json;

/**
 * A blocking view of the delivery WebSocket. The JDK's WebSocket is asynchronous; its listener only
 * parses frames and queues them, and the caller pulls them with {@link #next} on its own thread, so all
 * decryption and database work stays on one thread in plain sequential code.
 *
 * <p>The queue is unbounded, but the server keeps at most {@code delivery.max-in-flight} unacked
 * envelopes outstanding per connection, which bounds it in practice.
 *
 * <p>Sends: {@link #send} writes a {@code send} frame and waits for the {@code send-result} with its
 * id, which the listener hands straight to the waiting sender instead of queueing it, so a sender
 * never waits behind the receive loop. {@link ParleyApi#send} uses an open socket this way.
 */
public final class DeliverySocket implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(DeliverySocket.class.getName());
    private static final Duration CLOSE_GRACE = Duration.ofSeconds(2);

    /** The server takes WebSocket frames of at most 64 KiB; longer messages go in fragments of this many chars. */
    private static final int FRAGMENT_CHARS = 16 * 1024;

    private final BlockingQueue<DeliveryEvent> events;
    private final WebSocket webSocket;
    private final Duration sendTimeout;
    private final Map<String, CompletableFuture<Frame.SendResult>> pendingSends;
    private final AtomicLong nextSendId = new AtomicLong();
    /** The JDK allows one outstanding write at a time; acks and sends come from different threads. */
    private final ReentrantLock writeLock = new ReentrantLock();
    private final Consumer<DeliverySocket> onClose;

    private DeliverySocket(BlockingQueue<DeliveryEvent> events, WebSocket webSocket, Duration sendTimeout,
                           Map<String, CompletableFuture<Frame.SendResult>> pendingSends, Consumer<DeliverySocket> onClose) {
        this.events = events;
        this.webSocket = webSocket;
        this.sendTimeout = sendTimeout;
        this.pendingSends = pendingSends;
        this.onClose = onClose;
    }

    static DeliverySocket connect(HttpClient http, URI uri, String authorization, Duration timeout) {
        return connect(http, uri, authorization, timeout, s -> {});
    }

    /** {@code onClose} is called once when {@link #close} is. */
    static DeliverySocket connect(HttpClient http, URI uri, String authorization, Duration timeout,
                                  Consumer<DeliverySocket> onClose) {
        BlockingQueue<DeliveryEvent> events = new LinkedBlockingQueue<>();
        Map<String, CompletableFuture<Frame.SendResult>> pending = new ConcurrentHashMap<>();
        try {
            WebSocket webSocket = http.newWebSocketBuilder()
                    .header("Authorization", authorization)
                    .connectTimeout(timeout)
                    .buildAsync(uri, new QueueingListener(events, pending))
                    .get(timeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
            return new DeliverySocket(events, webSocket, timeout, pending, onClose);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof WebSocketHandshakeException handshake) {
                int status = handshake.getResponse().statusCode();
                if (status == 401) {
                    throw new ParleyApiException(401, "unauthorized",
                            "the server refused this device's credentials; register again", null);
                }
                throw new ParleyApiException(status, "http_" + status,
                        "the server refused the delivery connection with HTTP " + status, null);
            }
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw new ParleyTransportException("cannot open the delivery connection to " + uri + ": " + cause, cause);
        } catch (TimeoutException e) {
            throw new ParleyTransportException("the delivery connection to " + uri + " did not open within "
                    + timeout.toSeconds() + " s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ParleyTransportException("interrupted while opening the delivery connection", e);
        }
    }

    /**
     * Waits for the next event; empty when {@code timeout} passes first. A negative timeout waits forever.
     * After a {@link DeliveryEvent.Closed} or {@link DeliveryEvent.Failed} no further events come.
     */
    public Optional<DeliveryEvent> next(Duration timeout) {
        try {
            if (timeout.isNegative()) {
                return Optional.of(events.take());
            }
            return Optional.ofNullable(events.poll(timeout.toNanos(), TimeUnit.NANOSECONDS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ParleyTransportException("interrupted while waiting for messages", e);
        }
    }

    /** Tells the server the envelope is processed; it deletes the envelope from this device's queue. */
    public void ack(String guid) {
        send(new Frame.Ack(guid));
    }

    /** True while frames can still be written and answers still arrive. */
    public boolean canSend() {
        return !webSocket.isOutputClosed() && !webSocket.isInputClosed();
    }

    /**
     * Sends a message over this connection ({@code PUT /v1/messages/{accountId}}'s body in a
     * {@code send} frame) and waits for the server's answer, which comes once the envelopes are
     * committed.
     *
     * @throws NotSent when the frame could not be written: nothing reached the server, the caller may
     *     send over HTTP instead
     * @throws ParleyApiException the server refused the send, as the HTTP route would have (409, 410,
     *     429 with {@link ParleyApiException#retryAfterSeconds()}, ...)
     * @throws ParleyTransportException the frame went out but no answer came: the send may or may not
     *     be stored, as with an HTTP request whose answer was lost
     */
    public SendMessageResponse send(String accountId, SendMessageRequest request) {
        String id = Long.toString(nextSendId.incrementAndGet(), 36);
        CompletableFuture<Frame.SendResult> answer = new CompletableFuture<>();
        pendingSends.put(id, answer);
        try {
            try {
                send(new Frame.Send(id, accountId, request));
            } catch (ParleyTransportException e) {
                throw new NotSent("the delivery connection could not take the send: " + e.getMessage(), e);
            }
            Frame.SendResult result = answer.get(sendTimeout.toMillis(), TimeUnit.MILLISECONDS);
            if (result.result() != null) {
                return result.result();
            }
            throw refusal(result);
        } catch (ExecutionException e) {
            throw new ParleyTransportException("the delivery connection ended before the send was answered", e.getCause());
        } catch (TimeoutException e) {
            throw new ParleyTransportException("the send was not answered within " + sendTimeout.toSeconds() + " s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ParleyTransportException("interrupted while waiting for a send's answer", e);
        } finally {
            pendingSends.remove(id);
        }
    }

    /** The HTTP route's error for the same refusal; the body holds the lists a 409 or 410 carries. */
    private static ParleyApiException refusal(Frame.SendResult result) {
        Frame.SendError error = result.error();
        if (error == null) {
            return new ParleyApiException(result.status(), "http_" + result.status(), "the server answered neither"
                    + " a result nor an error", null);
        }
        String body;
        try {
            body = Json.lenient().writeValueAsString(error);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode an error", e);
        }
        return new ParleyApiException(result.status(), error.error(), error.message(), body, error.retryAfterSeconds());
    }

    /** A send that never left this client: sending it again, over HTTP, cannot store it twice. */
    public static final class NotSent extends RuntimeException {
        private static final long serialVersionUID = 1L;

        NotSent(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private void send(Frame frame) {
        String text;
        try {
            text = Json.lenient().writeValueAsString(frame);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode a frame", e);
        }
        writeLock.lock();
        try {
            // The JDK allows one outstanding send at a time; waiting here (under the lock) keeps that true.
            for (int start = 0; start < text.length(); ) {
                int end = Math.min(text.length(), start + FRAGMENT_CHARS);
                if (end < text.length() && Character.isHighSurrogate(text.charAt(end - 1))) {
                    end--; // never split a surrogate pair between fragments
                }
                webSocket.sendText(text.substring(start, end), end == text.length())
                        .get(sendTimeout.toMillis(), TimeUnit.MILLISECONDS);
                start = end;
            }
        } catch (ExecutionException | TimeoutException | IllegalStateException e) {
            throw new ParleyTransportException("sending on the delivery connection failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ParleyTransportException("interrupted while writing on the delivery connection", e);
        } finally {
            writeLock.unlock();
        }
    }

    /** Closes politely, then drops the connection if the server does not answer the close in time. */
    @Override
    public void close() {
        onClose.accept(this);
        if (!webSocket.isOutputClosed()) {
            try {
                webSocket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(CLOSE_GRACE.toMillis(), TimeUnit.MILLISECONDS);
            } catch (ExecutionException | TimeoutException e) {
                LOG.log(System.Logger.Level.DEBUG, "delivery close handshake failed: {0}", e.toString());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        webSocket.abort();
    }

    /** Reassembles text frames, parses them and queues the result; never blocks the HTTP client's threads. */
    private static final class QueueingListener implements WebSocket.Listener {
        private final BlockingQueue<DeliveryEvent> events;
        private final Map<String, CompletableFuture<Frame.SendResult>> pendingSends;
        private final StringBuilder partial = new StringBuilder();

        QueueingListener(BlockingQueue<DeliveryEvent> events, Map<String, CompletableFuture<Frame.SendResult>> pendingSends) {
            this.events = events;
            this.pendingSends = pendingSends;
        }

        @Override
        public void onOpen(WebSocket webSocket) {
            webSocket.request(1);
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                String text = partial.toString();
                partial.setLength(0);
                parse(text).ifPresent(this::dispatch);
            }
            webSocket.request(1);
            return null;
        }

        /** A send's answer goes to its waiting sender; everything else to the receive queue. */
        private void dispatch(DeliveryEvent event) {
            if (event instanceof DeliveryEvent.Received(Frame.SendResult result)) {
                CompletableFuture<Frame.SendResult> waiting = result.id() == null ? null : pendingSends.get(result.id());
                if (waiting != null) {
                    waiting.complete(result);
                }
                return;
            }
            events.add(event);
        }

        private void failPendingSends(String why) {
            ParleyTransportException gone = new ParleyTransportException(why, null);
            pendingSends.values().forEach(f -> f.completeExceptionally(gone));
        }

        private static Optional<DeliveryEvent> parse(String text) {
            try {
                return Optional.of(new DeliveryEvent.Received(Json.lenient().readValue(text, Frame.class)));
            } catch (JsonProcessingException e) {
                // A frame kind from a newer server, or garbage: skip it rather than drop the connection.
                LOG.log(System.Logger.Level.DEBUG, "ignoring an unreadable delivery frame: {0}", e.getOriginalMessage());
                return Optional.empty();
            }
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            events.add(new DeliveryEvent.Closed(statusCode, reason));
            failPendingSends("the delivery connection closed (" + statusCode + ")");
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            events.add(new DeliveryEvent.Failed(error));
            failPendingSends("the delivery connection broke: " + error);
        }
    }
}
