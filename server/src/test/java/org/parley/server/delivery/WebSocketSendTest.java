// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.parley.server.delivery.DeliveryTestServer.ciphertext;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.parley.protocol.Frame;
import org.parley.protocol.Json;
import org.parley.protocol.SendMessageRequest;
import org.parley.server.testing.AccountsTestServer.Device;
import org.parley.testing.Eventually;

/** {@code send} frames on the delivery WebSocket: the same service path and answers as PUT /v1/messages. */
class WebSocketSendTest extends WebSocketTestBase {
    private WsTestClient connect(Device device) throws Exception {
        WsTestClient client = server.connect(device);
        track(client);
        assertInstanceOf(Frame.QueueEmpty.class, client.next());
        return client;
    }

    private static String sendFrame(String id, String destination, SendMessageRequest request) throws Exception {
        return Json.strict().writerFor(Frame.class).writeValueAsString(new Frame.Send(id, destination, request));
    }

    private SendMessageRequest text(Device to, String text) {
        return new SendMessageRequest(server.clock.millis(), List.of(ciphertext(to.deviceId(), text)), List.of());
    }

    private static Frame.SendResult nextResult(WsTestClient ws) throws InterruptedException {
        return assertInstanceOf(Frame.SendResult.class, ws.next());
    }

    @Test
    void send_isAnsweredWithItsIdAfterCommit_andDelivered() throws Exception {
        server = DeliveryTestServer.start(dir);
        Device alice = server.register("alice@example.org");
        Device bob = server.register("bob@example.org");
        WsTestClient aliceWs = connect(alice);
        WsTestClient bobWs = connect(bob);

        aliceWs.sendText(sendFrame("r-1", bob.accountId(), text(bob, "over the socket")));

        Frame.SendResult result = nextResult(aliceWs);
        assertEquals("r-1", result.id());
        assertEquals(200, result.status());
        assertNull(result.error());
        String guid = result.result().guids().getFirst().guid();
        // Answered only after the commit: the envelope is in the queue by now.
        assertEquals(1, server.store.count());
        Frame.EnvelopeFrame delivered = bobWs.nextEnvelope();
        assertEquals(guid, delivered.envelope().guid());
        assertEquals("over the socket", new String(delivered.envelope().content(), StandardCharsets.UTF_8));
        assertEquals("alice@example.org", delivered.envelope().sourceHandle());
    }

    @Test
    void manySends_inFlightAtOnce_eachAnsweredOnceUnderItsId() throws Exception {
        server = DeliveryTestServer.start(dir);
        Device alice = server.register("alice@example.org");
        Device bob = server.register("bob@example.org");
        WsTestClient aliceWs = connect(alice);
        int n = SocketSends.MAX_IN_FLIGHT * 2;

        for (int i = 0; i < n; i++) {
            aliceWs.sendText(sendFrame("m" + i, bob.accountId(), text(bob, "message " + i)));
        }

        Map<String, Integer> answers = new HashMap<>();
        for (int i = 0; i < n; i++) {
            Frame.SendResult r = nextResult(aliceWs);
            assertEquals(200, r.status());
            answers.merge(r.id(), 1, Integer::sum);
        }
        assertEquals(n, answers.size());
        assertTrue(answers.values().stream().allMatch(c -> c == 1));
        assertEquals(n, server.store.count());
    }

    @Test
    void send_withMissingDevice_answers409WithMismatches_andTheConnectionStays() throws Exception {
        server = DeliveryTestServer.start(dir);
        Device alice = server.register("alice@example.org");
        Device bob = server.register("bob@example.org");
        server.addDevice(bob, 2, 99);
        WsTestClient aliceWs = connect(alice);

        aliceWs.sendText(sendFrame("x", bob.accountId(), text(bob, "only device 1")));

        Frame.SendResult result = nextResult(aliceWs);
        assertEquals("x", result.id());
        assertEquals(409, result.status());
        assertNull(result.result());
        assertEquals("mismatched_devices", result.error().error());
        assertEquals(List.of(2), result.error().mismatches().getFirst().missingDevices());
        assertEquals(0, server.store.count());
        assertFalse(aliceWs.isClosed());
    }

    @Test
    void send_toUnknownAccount_answers404() throws Exception {
        server = DeliveryTestServer.start(dir);
        Device alice = server.register("alice@example.org");
        Device bob = server.register("bob@example.org");
        WsTestClient aliceWs = connect(alice);

        aliceWs.sendText(sendFrame("n", "no-such-account", text(bob, "lost")));

        Frame.SendResult result = nextResult(aliceWs);
        assertEquals(404, result.status());
        assertEquals("not_found", result.error().error());
    }

    @Test
    void send_withInvalidBody_answers400UnderItsId_andTheConnectionStays() throws Exception {
        server = DeliveryTestServer.start(dir);
        Device alice = server.register("alice@example.org");
        Device bob = server.register("bob@example.org");
        WsTestClient aliceWs = connect(alice);

        aliceWs.sendText("{\"type\":\"send\",\"id\":\"bad\",\"destination\":\"" + bob.accountId()
                + "\",\"message\":{\"timestamp\":1,\"messages\":[],\"syncMessages\":[]}}");

        Frame.SendResult result = nextResult(aliceWs);
        assertEquals("bad", result.id());
        assertEquals(400, result.status());
        assertEquals("invalid_request", result.error().error());
        assertNotNull(result.error().message());

        aliceWs.sendText(sendFrame("good", bob.accountId(), text(bob, "still open")));
        assertEquals(200, nextResult(aliceWs).status());
    }

    @Test
    void send_withoutId_closesWith1007() throws Exception {
        server = DeliveryTestServer.start(dir);
        Device alice = server.register("alice@example.org");
        Device bob = server.register("bob@example.org");
        WsTestClient aliceWs = connect(alice);

        aliceWs.sendText(sendFrame(null, bob.accountId(), text(bob, "no id")));

        assertEquals(1007, aliceWs.awaitClose(Duration.ofSeconds(10)).code());
        Eventually.eventually(() -> server.liveConnections() == 0, Duration.ofSeconds(10), "the loop ends");
    }

    @Test
    void largeSend_inFragments_isAccepted() throws Exception {
        server = DeliveryTestServer.start(dir);
        Device alice = server.register("alice@example.org");
        Device bob = server.register("bob@example.org");
        WsTestClient aliceWs = connect(alice);
        String big = "y".repeat(200 * 1024);

        aliceWs.sendFragmented(sendFrame("big", bob.accountId(), text(bob, big)), 16 * 1024);

        Frame.SendResult result = nextResult(aliceWs);
        assertEquals(200, result.status());
    }

    // ------------------------------------------------------------------ the binary protocol

    private WsTestClient connectBinary(Device device) throws Exception {
        WsTestClient client = WsTestClient.connect(java.net.URI.create(server.websocketUri() + "?"
                + org.parley.protocol.BinaryFrames.QUERY), device.auth());
        track(client);
        assertInstanceOf(Frame.QueueEmpty.class, client.next());
        return client;
    }

    @Test
    void binaryProtocol_sendAckAndEnvelope_workAsBinaryFrames() throws Exception {
        server = DeliveryTestServer.start(dir);
        Device alice = server.register("alice@example.org");
        Device bob = server.register("bob@example.org");
        WsTestClient aliceWs = connectBinary(alice);
        WsTestClient bobWs = connectBinary(bob);

        aliceWs.sendBinaryFrame(new Frame.Send("b-1", bob.accountId(), text(bob, "binary")));

        Frame.SendResult result = nextResult(aliceWs);
        assertEquals("b-1", result.id());
        assertEquals(200, result.status());
        Frame.EnvelopeFrame delivered = bobWs.nextEnvelope();
        assertEquals(result.result().guids().getFirst().guid(), delivered.envelope().guid());
        assertEquals("binary", new String(delivered.envelope().content(), StandardCharsets.UTF_8));
        bobWs.sendBinaryFrame(new Frame.Ack(delivered.envelope().guid()));
        Eventually.eventually(() -> server.store.count() == 0, Duration.ofSeconds(10), "the binary ack deletes it");

        // JSON text frames keep working on a binary connection.
        aliceWs.sendText(sendFrame("t-1", bob.accountId(), text(bob, "text on binary")));
        assertEquals(200, nextResult(aliceWs).status());
    }

    @Test
    void binaryProtocol_refusalCarriesItsListsAndStatus() throws Exception {
        server = DeliveryTestServer.start(dir);
        Device alice = server.register("alice@example.org");
        Device bob = server.register("bob@example.org");
        server.addDevice(bob, 2, 99);
        WsTestClient aliceWs = connectBinary(alice);

        aliceWs.sendBinaryFrame(new Frame.Send("b-2", bob.accountId(), text(bob, "only device 1")));

        Frame.SendResult result = nextResult(aliceWs);
        assertEquals(409, result.status());
        assertEquals(List.of(2), result.error().mismatches().getFirst().missingDevices());
    }

    @Test
    void binaryProtocol_garbage_closesWith1007() throws Exception {
        server = DeliveryTestServer.start(dir);
        Device alice = server.register("alice@example.org");
        WsTestClient aliceWs = connectBinary(alice);

        aliceWs.sendBinary(new byte[] {9, 9, 9});

        assertEquals(1007, aliceWs.awaitClose(Duration.ofSeconds(10)).code());
    }
}
