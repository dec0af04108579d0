// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.parley.client.ParleyClient;
import org.parley.client.ReceiveEvent;
import org.parley.client.ReceiveOptions;
import org.parley.client.ReceiveSummary;
import org.parley.client.ReceivedMessage;
import org.parley.client.SendResult;
import org.parley.testing.Eventually;

/**
 * The smoke test of the WebSocket send path, so it cannot rot: the real server, the client library with
 * real libsignal sessions, and a send that goes out as a {@code send} frame over the delivery WebSocket a
 * running receive holds open. No timing is asserted.
 */
class WebSocketSendSmokeTest {
    @RegisterExtension
    static final CliUsers users = new CliUsers();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @Test
    void send_whileReceiving_goesOverTheDeliveryWebSocket_andTheRecipientDecryptsIt() throws Exception {
        String aliceHandle = UserTestServer.freshHandle("alice");
        String bobHandle = UserTestServer.freshHandle("bob");
        try (ParleyClient alice = users.server().register(users.homes().resolve("alice"), aliceHandle);
                ParleyClient bob = users.server().register(users.homes().resolve("bob"), bobHandle);
                ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            List<ReceiveEvent> aliceGot = new CopyOnWriteArrayList<>();
            Future<ReceiveSummary> aliceReceiving = executor.submit(() -> alice.receive(
                    ReceiveOptions.follow().withTimeout(Duration.ofSeconds(60)).withMaxMessages(1), aliceGot::add));
            Eventually.eventually(() -> metric("parley_delivery_connections") == 1, Duration.ofSeconds(20),
                    "alice's delivery WebSocket is open");
            double socketSendsBefore = metric("parley_delivery_sends_total");

            SendResult sent = alice.send(bobHandle, "sent over the socket");

            assertInstanceOf(SendResult.Delivered.class, sent);
            assertEquals(socketSendsBefore + 1, metric("parley_delivery_sends_total"),
                    "the send went over the WebSocket, not as PUT /v1/messages");
            List<ReceiveEvent> bobGot = new ArrayList<>();
            bob.receive(ReceiveOptions.drain(), bobGot::add);
            assertEquals(List.of("sent over the socket"), texts(bobGot));

            // Bob has no socket open: his answer goes over HTTP and reaches alice's running receive.
            assertInstanceOf(SendResult.Delivered.class, bob.send(aliceHandle, "answered over HTTP"));
            assertEquals(ReceiveSummary.StopReason.MAX_MESSAGES, aliceReceiving.get(60, TimeUnit.SECONDS).stopReason());
            assertEquals(List.of("answered over HTTP"), texts(aliceGot));
            // (The counter is not compared again: Alice's running receive sends its receipts over her socket.)
        }
    }

    private static List<String> texts(List<ReceiveEvent> events) {
        return events.stream().filter(ReceivedMessage.class::isInstance).map(e -> ((ReceivedMessage) e).text()).toList();
    }

    /** One value from the server's Prometheus metrics. */
    private static double metric(String name) {
        try {
            String metrics = HTTP.send(HttpRequest.newBuilder(URI.create(users.server().url() + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            return metrics.lines().filter(l -> l.startsWith(name + " "))
                    .mapToDouble(l -> Double.parseDouble(l.substring(l.indexOf(' ') + 1))).findFirst().orElse(-1);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
