// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.delivery;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.parley.protocol.Envelope;
import org.parley.protocol.Frame;
import org.parley.protocol.Limits;
import org.parley.protocol.MessageType;
import org.parley.protocol.SendMessageRequest;
import org.parley.server.testing.AccountsTestKeys;
import org.parley.server.testing.AccountsTestServer.Device;
import org.parley.testing.Eventually;

class DeliveryWebSocketTest extends WebSocketTestBase {
    private static final Duration QUIET = Duration.ofMillis(300);

    private WsTestClient connect(Device device) throws Exception {
        WsTestClient client = server.connect(device);
        track(client);
        return client;
    }

    private static String text(Frame.EnvelopeFrame frame) {
        return new String(frame.envelope().content(), StandardCharsets.UTF_8);
    }

    private static void eventually(BooleanSupplier condition, String what) throws InterruptedException {
        Eventually.eventually(condition, Duration.ofSeconds(10), what);
    }

    @Test
    void connect_afterOfflineSends_backlogInOrderThenQueueEmptyThenLive() throws Exception {
        server = DeliveryTestServer.start(dir);
        Device alice = server.register("alice@example.org");
        Device bob = server.register("bob@example.org");
        List<String> guids = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            guids.add(server.sendText(alice, bob, "backlog " + i).get("guids").get(0).get("guid").asText());
        }

        WsTestClient bobWs = connect(bob);
        for (int i = 0; i < 3; i++) {
            Frame.EnvelopeFrame frame = bobWs.nextEnvelope();
            Envelope e = frame.envelope();
            assertEquals(guids.get(i), e.guid());
            assertEquals("backlog " + i, text(frame));
            assertEquals(alice.accountId(), e.sourceAccountId());
            assertEquals(1, e.sourceDeviceId());
            assertEquals("alice@example.org", e.sourceHandle());
            assertEquals(1, e.destinationDeviceId());
            assertEquals(MessageType.SIGNAL, e.type());
            assertEquals(server.clock.millis(), e.serverTimestamp());
        }
        assertInstanceOf(Frame.QueueEmpty.class, bobWs.next());

        server.sendText(alice, bob, "live");
        assertEquals("live", text(bobWs.nextEnvelope()));
        bobWs.expectSilence(QUIET);
    }

    @Test
    void connect_emptyQueue_sendsQueueEmptyAtOnce() throws Exception {
        server = DeliveryTestServer.start(dir);
        Device bob = server.register("bob@example.org");

        assertInstanceOf(Frame.QueueEmpty.class, connect(bob).next());
    }

    @Test
    void ack_deletesEnvelope_andUnackedAreRedeliveredOnReconnect() throws Exception {
        server = DeliveryTestServer.start(dir);
        Device alice = server.register("alice@example.org");
        Device bob = server.register("bob@example.org");
        server.sendText(alice, bob, "one");
        server.sendText(alice, bob, "two");

        WsTestClient first = connect(bob);
        Frame.EnvelopeFrame one = first.nextEnvelope();
        Frame.EnvelopeFrame two = first.nextEnvelope();
        assertInstanceOf(Frame.QueueEmpty.class, first.next());
        first.ack(one.envelope().guid());
        eventually(() -> server.store.count() == 1, "the acked envelope is deleted");
        first.close();

        WsTestClient second = connect(bob);
        Frame.EnvelopeFrame again = second.nextEnvelope();
        assertEquals(two.envelope().guid(), again.envelope().guid());
        assertEquals("two", text(again));
        assertInstanceOf(Frame.QueueEmpty.class, second.next());
    }

    @Test
    void ack_ofAnotherDevicesEnvelope_deletesNothing() throws Exception {
        server = DeliveryTestServer.start(dir);
        Device alice = server.register("alice@example.org");
        Device bob = server.register("bob@example.org");
        Device carol = server.register("carol@example.org");
        String bobsGuid = server.sendText(alice, bob, "for bob").get("guids").get(0).get("guid").asText();

        WsTestClient carolWs = connect(carol);
        assertInstanceOf(Frame.QueueEmpty.class, carolWs.next());
        carolWs.ack(bobsGuid);
        server.sendText(alice, carol, "marker");
        // Acks are deleted asynchronously, in arrival order: once Carol's later ack of her own
        // marker has been written, her earlier ack of Bob's envelope has been processed too.
        carolWs.ack(carolWs.nextEnvelope().envelope().guid());
        eventually(() -> server.store.page(carol.accountId(), carol.deviceId(), 0, 1).isEmpty(), "Carol's marker is acked");
        assertEquals(1, server.store.page(bob.accountId(), bob.deviceId(), 0, 10).size(), "Bob's envelope survives Carol's ack");
    }

    @Test
    void delivery_respectsMaxInFlight_untilAcksFreeTheWindow() throws Exception {
        server = DeliveryTestServer.start(dir, 2, DeliveryFeature.DEFAULT_KEEPALIVE);
        Device alice = server.register("alice@example.org");
        Device bob = server.register("bob@example.org");
        for (int i = 0; i < 5; i++) {
            server.sendText(alice, bob, "m" + i);
        }

        WsTestClient bobWs = connect(bob);
        Frame.EnvelopeFrame m0 = bobWs.nextEnvelope();
        assertEquals("m1", text(bobWs.nextEnvelope()));
        bobWs.expectSilence(QUIET);

        bobWs.ack(m0.envelope().guid());
        assertEquals("m2", text(bobWs.nextEnvelope()));
        bobWs.expectSilence(QUIET);
    }

    @Test
    void queueEmpty_isSentWhenTheBacklogFillsTheWindowExactly() throws Exception {
        server = DeliveryTestServer.start(dir, 2, DeliveryFeature.DEFAULT_KEEPALIVE);
        Device alice = server.register("alice@example.org");
        Device bob = server.register("bob@example.org");
        server.sendText(alice, bob, "m0");
        server.sendText(alice, bob, "m1");

        WsTestClient bobWs = connect(bob);
        bobWs.nextEnvelope();
        bobWs.nextEnvelope();
        assertInstanceOf(Frame.QueueEmpty.class, bobWs.next());
    }

    @Test
    void secondConnection_sameDevice_closesFirstWith4409() throws Exception {
        server = DeliveryTestServer.start(dir);
        Device alice = server.register("alice@example.org");
        Device bob = server.register("bob@example.org");
        WsTestClient first = connect(bob);
        assertInstanceOf(Frame.QueueEmpty.class, first.next());

        WsTestClient second = connect(bob);
        WsTestClient.Closed closed = first.awaitClose(Duration.ofSeconds(10));
        assertEquals(Frame.CLOSE_CONNECTED_ELSEWHERE, closed.code());
        assertEquals("connected elsewhere", closed.reason());

        assertInstanceOf(Frame.QueueEmpty.class, second.next());
        server.sendText(alice, bob, "to the newer connection");
        assertEquals("to the newer connection", text(second.nextEnvelope()));
        eventually(() -> server.liveConnections() == 1, "only the newer connection's loop runs");
    }

    @Test
    void nearSimultaneousConnections_exactlyOneSurvives() throws Exception {
        server = DeliveryTestServer.start(dir);
        Device bob = server.register("bob@example.org");
        List<Thread> threads = new ArrayList<>();
        List<WsTestClient> opened = java.util.Collections.synchronizedList(new ArrayList<>());
        for (int i = 0; i < 4; i++) {
            threads.add(Thread.ofVirtual().start(() -> {
                try {
                    opened.add(connect(bob));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }));
        }
        for (Thread t : threads) {
            t.join();
        }
        assertEquals(4, opened.size());
        eventually(() -> opened.stream().filter(WsTestClient::isClosed).count() == 3, "three of four are closed");
        eventually(() -> server.liveConnections() == 1, "one delivery loop is left");
    }

    @Test
    void upgrade_withoutCredentials_isRefusedWith401() {
        server = DeliveryTestServer.start(dir);

        WebSocketHandshakeException e = assertThrows(WebSocketHandshakeException.class,
                () -> WsTestClient.connect(server.websocketUri(), null));
        assertEquals(401, e.getResponse().statusCode());
        assertEquals(0, server.liveConnections());
    }

    @Test
    void upgrade_withWrongPassword_isRefusedWith401() {
        server = DeliveryTestServer.start(dir);
        Device bob = server.register("bob@example.org");

        WebSocketHandshakeException e = assertThrows(WebSocketHandshakeException.class,
                () -> WsTestClient.connect(server.websocketUri(), AccountsTestKeys.basic(bob.accountId(), 1, "x".repeat(24))));
        assertEquals(401, e.getResponse().statusCode());
    }

    @Test
    void largestCiphertext_256KiB_travelsEndToEnd() throws Exception {
        server = DeliveryTestServer.start(dir);
        Device alice = server.register("alice@example.org");
        Device bob = server.register("bob@example.org");
        byte[] content = new byte[Limits.MAX_CIPHERTEXT_BYTES];
        new java.util.Random(7).nextBytes(content);
        DeliveryTestServer.ok(server.send(alice, bob.accountId(), new SendMessageRequest(server.clock.millis(),
                List.of(DeliveryTestServer.ciphertext(1, DeliveryTestServer.REGISTRATION_ID, content)), List.of())));

        WsTestClient bobWs = connect(bob);
        Frame.EnvelopeFrame frame = bobWs.nextEnvelope();
        assertArrayEquals(content, frame.envelope().content());
        bobWs.ack(frame.envelope().guid());
        eventually(() -> server.store.count() == 0, "the big envelope is acked away");
    }

    @Test
    void clientFrame_notAnAck_closesWith1007() throws Exception {
        server = DeliveryTestServer.start(dir);
        Device bob = server.register("bob@example.org");
        WsTestClient bobWs = connect(bob);
        bobWs.next();

        bobWs.sendText("{\"type\":\"envelope\"}");

        assertEquals(1007, bobWs.awaitClose(Duration.ofSeconds(10)).code());
        eventually(() -> server.liveConnections() == 0, "the loop ends");
    }

    @Test
    void clientFrame_binary_closesWith1003() throws Exception {
        server = DeliveryTestServer.start(dir);
        Device bob = server.register("bob@example.org");
        WsTestClient bobWs = connect(bob);
        bobWs.next();

        bobWs.sendBinary(new byte[] {1, 2, 3});

        assertEquals(1003, bobWs.awaitClose(Duration.ofSeconds(10)).code());
    }

    @Test
    void clientMessage_overTheSizeLimit_closesWith1009() throws Exception {
        server = DeliveryTestServer.start(dir);
        Device bob = server.register("bob@example.org");
        WsTestClient bobWs = connect(bob);
        bobWs.next();

        // In fragments under Helidon's frame limit: the joined message is what is over the limit.
        bobWs.sendFragmented("{\"type\":\"ack\",\"guid\":\"" + "x".repeat(DeliveryEndpoint.MAX_CLIENT_FRAME_CHARS) + "\"}",
                32 * 1024);

        assertEquals(1009, bobWs.awaitClose(Duration.ofSeconds(10)).code());
        eventually(() -> server.liveConnections() == 0, "the loop ends");
    }

    @Test
    void clientFrame_overHelidonsFrameLimit_dropsTheConnectionAndEndsTheLoop() throws Exception {
        server = DeliveryTestServer.start(dir, 256, Duration.ofMillis(200));
        Device bob = server.register("bob@example.org");
        WsTestClient bobWs = connect(bob);
        bobWs.next();

        bobWs.sendText("x".repeat(100 * 1024));

        eventually(() -> server.liveConnections() == 0, "the loop ends");
    }

    @Test
    void clientClose_endsTheDeliveryLoop() throws Exception {
        server = DeliveryTestServer.start(dir);
        Device bob = server.register("bob@example.org");
        WsTestClient bobWs = connect(bob);
        bobWs.next();
        assertEquals(1, server.liveConnections());

        bobWs.close();

        eventually(() -> server.liveConnections() == 0, "the loop ends after a close frame");
    }

    @Test
    void droppedConnection_withoutCloseFrame_endsTheLoopWithinTheKeepalive() throws Exception {
        server = DeliveryTestServer.start(dir, 256, Duration.ofMillis(200));
        Device alice = server.register("alice@example.org");
        Device bob = server.register("bob@example.org");
        WsTestClient bobWs = connect(bob);
        bobWs.next();

        bobWs.abort();

        eventually(() -> server.liveConnections() == 0, "the loop notices the dead socket");
        server.sendText(alice, bob, "kept for later");
        assertEquals(1, server.store.count());
    }

    @Test
    void keepalive_pingsAnIdleConnectionAndKeepsIt() throws Exception {
        server = DeliveryTestServer.start(dir, 256, Duration.ofMillis(100));
        Device alice = server.register("alice@example.org");
        Device bob = server.register("bob@example.org");
        WsTestClient bobWs = connect(bob);
        bobWs.next();

        // Several keepalive rounds: each ping is answered, and the idle connection is kept.
        Eventually.eventually(() -> bobWs.pings() >= 3, Duration.ofSeconds(10), "three keepalive pings arrived");

        assertFalse(bobWs.isClosed());
        server.sendText(alice, bob, "still here");
        assertEquals("still here", text(bobWs.nextEnvelope()));
    }

    @Test
    void serverClose_closesConnectionsWith1001_andStopsLoops() throws Exception {
        server = DeliveryTestServer.start(dir);
        Device bob = server.register("bob@example.org");
        WsTestClient bobWs = connect(bob);
        bobWs.next();

        server.delivery.close();

        assertEquals(1001, bobWs.awaitClose(Duration.ofSeconds(10)).code());
        assertEquals(0, server.liveConnections());
    }

    @Test
    void reRegistration_closesTheOldDevicesConnection() throws Exception {
        server = DeliveryTestServer.start(dir);
        Device bob = server.register("bob@example.org");
        WsTestClient bobWs = connect(bob);
        bobWs.next();

        server.register("bob@example.org");

        assertEquals(Frame.CLOSE_CONNECTED_ELSEWHERE, bobWs.awaitClose(Duration.ofSeconds(10)).code());
    }

    @Test
    void envelopeFromUnknownSource_hasNoHandle() throws Exception {
        server = DeliveryTestServer.start(dir);
        Device bob = server.register("bob@example.org");
        server.store.insert(List.of(new org.parley.server.messages.QueuedMessage(0, bob.accountId(), 1,
                java.util.UUID.randomUUID().toString(), "00000000-0000-4000-8000-000000000000", 1, MessageType.PREKEY,
                new byte[] {9}, 1, 2, Long.MAX_VALUE)));

        Envelope e = connect(bob).nextEnvelope().envelope();

        assertNull(e.sourceHandle());
        assertEquals(MessageType.PREKEY, e.type());
        assertTrue(e.serverTimestamp() > 0);
    }
}
