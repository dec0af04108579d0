// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.client.transport;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.Optional;
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
 */
public final class DeliverySocket implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(DeliverySocket.class.getName());
    private static final Duration CLOSE_GRACE = Duration.ofSeconds(2);

    private final BlockingQueue<DeliveryEvent> events;
    private final WebSocket webSocket;
    private final Duration sendTimeout;

    private DeliverySocket(BlockingQueue<DeliveryEvent> events, WebSocket webSocket, Duration sendTimeout) {
        this.events = events;
        this.webSocket = webSocket;
        this.sendTimeout = sendTimeout;
    }

    static DeliverySocket connect(HttpClient http, URI uri, String authorization, Duration timeout) {
        BlockingQueue<DeliveryEvent> events = new LinkedBlockingQueue<>();
        try {
            WebSocket webSocket = http.newWebSocketBuilder()
                    .header("Authorization", authorization)
                    .connectTimeout(timeout)
                    .buildAsync(uri, new QueueingListener(events))
                    .get(timeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
            return new DeliverySocket(events, webSocket, timeout);
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

    private void send(Frame frame) {
        String text;
        try {
            text = Json.lenient().writeValueAsString(frame);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode a frame", e);
        }
        try {
            // The JDK allows one outstanding send at a time; waiting here keeps that true.
            webSocket.sendText(text, true).get(sendTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new ParleyTransportException("sending on the delivery connection failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ParleyTransportException("interrupted while sending an ack", e);
        }
    }

    /** Closes politely, then drops the connection if the server does not answer the close in time. */
    @Override
    public void close() {
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
        private final StringBuilder partial = new StringBuilder();

        QueueingListener(BlockingQueue<DeliveryEvent> events) {
            this.events = events;
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
                parse(text).ifPresent(events::add);
            }
            webSocket.request(1);
            return null;
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
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            events.add(new DeliveryEvent.Failed(error));
        }
    }
}
