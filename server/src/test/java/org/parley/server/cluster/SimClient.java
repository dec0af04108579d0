// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.cluster;

import com.fasterxml.jackson.databind.ObjectReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import org.parley.protocol.Frame;
import org.parley.protocol.Json;

/**
 * One simulated device of a multi-node test: a delivery WebSocket to some node, reconnected to the
 * next live node whenever it drops, acking every envelope after recording its guid. Payloads are
 * opaque bytes: the server never looks inside, so real encryption would only cost CPU here.
 */
final class SimClient implements WebSocket.Listener {
    private static final ObjectReader FRAMES = Json.lenient().readerFor(Frame.class);

    final int index;
    final String accountId;
    final int registrationId;
    final String authorization;
    /** guid -> times delivered (before the application's de-duplication). */
    final Map<String, AtomicInteger> received = new ConcurrentHashMap<>();
    /** guid -> System.nanoTime() of its first delivery. */
    final Map<String, Long> firstDelivered = new ConcurrentHashMap<>();
    private final HttpClient http;
    private final IntFunction<URI> nodeUri;
    private final int nodes;
    private final StringBuilder partial = new StringBuilder();
    private volatile WebSocket ws;
    private volatile int node;
    private volatile boolean stopped;
    private volatile long lastEnvelopeNanos;
    final AtomicInteger reconnects = new AtomicInteger();

    SimClient(int index, String accountId, int registrationId, String authorization, HttpClient http,
              IntFunction<URI> nodeUri, int nodes) {
        this.index = index;
        this.accountId = accountId;
        this.registrationId = registrationId;
        this.authorization = authorization;
        this.http = http;
        this.nodeUri = nodeUri;
        this.nodes = nodes;
    }

    int node() {
        return node;
    }

    long lastEnvelopeNanos() {
        return lastEnvelopeNanos;
    }

    /** Connects to {@code first}, or the next node that accepts; retries until one does. */
    void connect(int first) {
        for (int attempt = 0; !stopped; attempt++) {
            int n = (first + attempt) % nodes;
            URI uri = nodeUri.apply(n);
            if (uri != null) {
                try {
                    node = n;
                    ws = http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5))
                            .header("Authorization", authorization)
                            .buildAsync(uri, this).get(10, TimeUnit.SECONDS);
                    return;
                } catch (Exception e) {
                    // node down or busy: try the next
                }
            }
            sleep(100);
        }
    }

    /** The node this client is on may have died: move to the next live one. */
    private void reconnectSoon() {
        if (stopped) {
            return;
        }
        reconnects.incrementAndGet();
        int from = node + 1;
        Thread.ofVirtual().start(() -> {
            sleep(100);
            connect(from);
        });
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
                Frame frame = FRAMES.readValue(text);
                if (frame instanceof Frame.EnvelopeFrame(var envelope)) {
                    long now = System.nanoTime();
                    received.computeIfAbsent(envelope.guid(), g -> new AtomicInteger()).incrementAndGet();
                    firstDelivered.putIfAbsent(envelope.guid(), now);
                    lastEnvelopeNanos = now;
                    webSocket.sendText("{\"type\":\"ack\",\"guid\":\"" + envelope.guid() + "\"}", true)
                            .get(10, TimeUnit.SECONDS);
                }
            } catch (Exception e) {
                // an ack that cannot be sent: the envelope comes again on the next connection
            }
        }
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        if (webSocket == ws) {
            reconnectSoon();
        }
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        if (webSocket == ws) {
            reconnectSoon();
        }
    }

    void stop() {
        stopped = true;
        WebSocket w = ws;
        if (w != null) {
            w.abort();
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
