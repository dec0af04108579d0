// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.client.transport;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.parley.client.error.ParleyTransportException;
import org.parley.protocol.Json;
import org.parley.protocol.ProvisioningFrame;

/**
 * The new device's side of the provisioning WebSocket ({@code /v1/provisioning}, unauthenticated): the
 * server sends the address to show to the linking device, later the one message, then closes.
 */
public final class ProvisioningSocket implements AutoCloseable {
    /** What the listener saw: a frame, or the end (close or error) with a description. */
    private sealed interface Event {
        record Received(ProvisioningFrame frame) implements Event {}

        record Ended(String why) implements Event {}
    }

    private final BlockingQueue<Event> events;
    private final WebSocket webSocket;

    private ProvisioningSocket(BlockingQueue<Event> events, WebSocket webSocket) {
        this.events = events;
        this.webSocket = webSocket;
    }

    static ProvisioningSocket connect(HttpClient http, URI uri, Duration timeout) {
        BlockingQueue<Event> events = new LinkedBlockingQueue<>();
        try {
            WebSocket ws = http.newWebSocketBuilder().connectTimeout(timeout)
                    .buildAsync(uri, new Listener(events)).get(timeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
            return new ProvisioningSocket(events, ws);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw new ParleyTransportException("cannot open the provisioning connection to " + uri + ": " + cause, cause);
        } catch (TimeoutException e) {
            throw new ParleyTransportException("the provisioning connection to " + uri + " did not open in time", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ParleyTransportException("interrupted while opening the provisioning connection", e);
        }
    }

    /** The server's first frame. */
    public ProvisioningFrame.Address address(Duration timeout) {
        if (next(timeout) instanceof ProvisioningFrame.Address address) {
            return address;
        }
        throw new ParleyTransportException("the server's provisioning socket did not start with its address");
    }

    /** Waits for the linking device's message (the server then closes the socket). */
    public byte[] message(Duration timeout) {
        if (next(timeout) instanceof ProvisioningFrame.Message message) {
            return message.body();
        }
        throw new ParleyTransportException("the provisioning socket sent something other than the message");
    }

    private ProvisioningFrame next(Duration timeout) {
        Event event;
        try {
            event = events.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ParleyTransportException("interrupted while waiting on the provisioning connection", e);
        }
        return switch (event) {
            case null -> throw new ParleyTransportException("no device sent the link message within "
                    + timeout.toSeconds() + " s; run `parley device link` again for a new code");
            case Event.Received(ProvisioningFrame frame) -> frame;
            case Event.Ended(String why) -> throw new ParleyTransportException("the provisioning connection ended: " + why);
        };
    }

    @Override
    public void close() {
        webSocket.abort();
    }

    private static final class Listener implements WebSocket.Listener {
        private final BlockingQueue<Event> events;
        private final StringBuilder partial = new StringBuilder();

        Listener(BlockingQueue<Event> events) {
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
                try {
                    events.add(new Event.Received(Json.lenient().readValue(text, ProvisioningFrame.class)));
                } catch (JsonProcessingException e) {
                    events.add(new Event.Ended("the server sent an unreadable frame"));
                }
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            events.add(new Event.Ended("closed with code " + statusCode + (reason == null || reason.isBlank() ? "" : " (" + reason + ")")));
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            events.add(new Event.Ended(error.toString()));
        }
    }
}
