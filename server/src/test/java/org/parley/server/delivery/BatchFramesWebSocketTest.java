// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.parley.server.delivery.DeliveryTestServer.ciphertext;

import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.parley.protocol.BinaryFrames;
import org.parley.protocol.Frame;
import org.parley.protocol.SendMessageRequest;
import org.parley.server.testing.AccountsTestServer.Device;
import org.parley.testing.Eventually;

/**
 * Batch frames over a real delivery WebSocket ({@code ?frames=batch}): a client's batch is handled
 * as its frames in order, the server combines what it writes, queue order holds, and a malformed
 * batch closes the connection with 1007 like any invalid frame.
 */
class BatchFramesWebSocketTest extends WebSocketTestBase {
    private WsTestClient open(Device device, String query) throws Exception {
        WsTestClient client = WsTestClient.connect(URI.create(server.websocketUri() + "?" + query), device.auth());
        track(client);
        return client;
    }

    private WsTestClient connectBatch(Device device) throws Exception {
        WsTestClient client = open(device, BinaryFrames.BATCH_QUERY);
        assertInstanceOf(Frame.QueueEmpty.class, client.next());
        return client;
    }

    private SendMessageRequest text(Device to, String text) {
        return new SendMessageRequest(server.clock.millis(), List.of(ciphertext(to.deviceId(), text)), List.of());
    }

    private static byte[] batch(Frame... frames) {
        List<byte[]> encoded = new ArrayList<>();
        for (Frame f : frames) {
            encoded.add(BinaryFrames.encode(f));
        }
        return BinaryFrames.batch(encoded);
    }

    @Test
    void sendsInOneBatch_areEachAnsweredUnderTheirId_andDelivered() throws Exception {
        server = DeliveryTestServer.start(dir);
        Device alice = server.register("alice@example.org");
        Device bob = server.register("bob@example.org");
        WsTestClient aliceWs = connectBatch(alice);
        WsTestClient bobWs = connectBatch(bob);

        aliceWs.sendBinary(batch(new Frame.Send("s-1", bob.accountId(), text(bob, "one")),
                new Frame.Send("s-2", bob.accountId(), text(bob, "two")),
                new Frame.Send("s-3", bob.accountId(), text(bob, "three"))));

        Set<String> answered = new HashSet<>();
        for (int i = 0; i < 3; i++) {
            Frame.SendResult r = assertInstanceOf(Frame.SendResult.class, aliceWs.next());
            assertEquals(200, r.status());
            answered.add(r.id());
        }
        assertEquals(Set.of("s-1", "s-2", "s-3"), answered);
        Set<String> contents = new HashSet<>();
        List<Frame> acks = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Frame.EnvelopeFrame e = bobWs.nextEnvelope();
            contents.add(new String(e.envelope().content(), StandardCharsets.UTF_8));
            acks.add(new Frame.Ack(e.envelope().guid()));
        }
        assertEquals(Set.of("one", "two", "three"), contents);
        bobWs.sendBinary(batch(acks.toArray(Frame[]::new)));
        Eventually.eventually(() -> server.store.count() == 0, Duration.ofSeconds(10), "one batch of acks deletes all three");
    }

    @Test
    void backlog_comesAsOneBatch_inQueueOrder_thenQueueEmpty() throws Exception {
        server = DeliveryTestServer.start(dir);
        Device alice = server.register("alice@example.org");
        Device bob = server.register("bob@example.org");
        for (int i = 0; i < 5; i++) {
            server.sendText(alice, bob, "m" + i);
        }

        WsTestClient bobWs = open(bob, BinaryFrames.BATCH_QUERY);

        List<Frame> acks = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            Frame.EnvelopeFrame e = bobWs.nextEnvelope();
            assertEquals("m" + i, new String(e.envelope().content(), StandardCharsets.UTF_8));
            acks.add(new Frame.Ack(e.envelope().guid()));
        }
        assertInstanceOf(Frame.QueueEmpty.class, bobWs.next());
        assertEquals(1, bobWs.batches(), "the page and its queue-empty are one WebSocket message");
        bobWs.sendBinary(batch(acks.toArray(Frame[]::new)));
        Eventually.eventually(() -> server.store.count() == 0, Duration.ofSeconds(10), "the acks delete the backlog");
    }

    @Test
    void invalidSendInABatch_isAnswered400_andTheFramesAroundItStillRun() throws Exception {
        server = DeliveryTestServer.start(dir);
        Device alice = server.register("alice@example.org");
        Device bob = server.register("bob@example.org");
        WsTestClient aliceWs = connectBatch(alice);

        aliceWs.sendBinary(BinaryFrames.batch(List.of(
                BinaryFrames.encode(new Frame.Send("ok-1", bob.accountId(), text(bob, "a"))),
                new byte[] {BinaryFrames.SEND, 0, 3, 'b', 'a', 'd', 1},
                BinaryFrames.encode(new Frame.Send("ok-2", bob.accountId(), text(bob, "b"))))));

        Set<String> ok = new HashSet<>();
        int refused = 0;
        for (int i = 0; i < 3; i++) {
            Frame.SendResult r = assertInstanceOf(Frame.SendResult.class, aliceWs.next());
            if (r.status() == 400) {
                assertEquals("bad", r.id());
                refused++;
            } else {
                assertEquals(200, r.status());
                ok.add(r.id());
            }
        }
        assertEquals(1, refused);
        assertEquals(Set.of("ok-1", "ok-2"), ok);
    }

    @Test
    void malformedBatches_closeWith1007() throws Exception {
        server = DeliveryTestServer.start(dir);
        Device alice = server.register("alice@example.org");
        byte[] good = batch(new Frame.Ack("g"), new Frame.Ack("h"));
        byte[] nested = ByteBuffer.allocate(7 + good.length).put(BinaryFrames.BATCH).putShort((short) 1)
                .putInt(good.length).put(good).array();
        List<byte[]> bad = List.of(
                java.util.Arrays.copyOf(good, good.length - 1), // truncated
                new byte[] {BinaryFrames.BATCH, 0, 0}, // no frames
                nested,
                batch(new Frame.Ack("g"), new Frame.QueueEmpty())); // a server frame inside
        for (byte[] b : bad) {
            WsTestClient ws = connectBatch(alice);
            ws.sendBinary(b);
            assertEquals(1007, ws.awaitClose(Duration.ofSeconds(10)).code());
        }
    }

    @Test
    void batchOnAPlainBinaryConnection_closesWith1007_andNoBatchIsSentThere() throws Exception {
        server = DeliveryTestServer.start(dir);
        Device alice = server.register("alice@example.org");
        Device bob = server.register("bob@example.org");
        for (int i = 0; i < 3; i++) {
            server.sendText(alice, bob, "m" + i);
        }
        WsTestClient bobWs = open(bob, BinaryFrames.QUERY);
        for (int i = 0; i < 3; i++) {
            bobWs.nextEnvelope();
        }
        assertInstanceOf(Frame.QueueEmpty.class, bobWs.next());
        assertEquals(0, bobWs.batches(), "no batch frames without ?frames=batch");

        bobWs.sendBinary(batch(new Frame.Ack("g"), new Frame.Ack("h")));
        assertEquals(1007, bobWs.awaitClose(Duration.ofSeconds(10)).code());
        assertTrue(server.store.count() == 3, "nothing was acked");
    }
}
