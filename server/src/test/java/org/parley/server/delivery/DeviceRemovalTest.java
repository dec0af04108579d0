// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.protocol.Frame;
import org.parley.protocol.SendMessageRequest;
import org.parley.server.testing.AccountsTestServer.Device;

/**
 * Unlinking over real HTTP and a real WebSocket: the removed device's open delivery connection is
 * closed with 4410, its queue is emptied in the removal's transaction, and sends no longer cover it.
 */
class DeviceRemovalTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    private DeliveryTestServer server;

    @AfterEach
    void tearDown() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void removingALinkedDevice_closesItsSocket_deletesItsQueue_andSendsNoLongerCoverIt() throws Exception {
        server = DeliveryTestServer.start(dir);
        Device alice = server.register("alice@example.org");
        Device laptop = server.addDevice(alice, 2, 4712);
        Device bob = server.register("bob@example.org");
        server.send(bob, alice.accountId(), new SendMessageRequest(1, List.of(DeliveryTestServer.ciphertext(1, "one"),
                DeliveryTestServer.ciphertext(2, 4712, "two".getBytes())), List.of()));
        assertEquals(1L, server.store.countByDevice(alice.accountId()).get(2));

        try (WsTestClient laptopWs = server.connect(laptop)) {
            laptopWs.nextEnvelope(); // connected and delivering, not acked
            assertEquals(204, server.send("DELETE", "/v1/devices/2", null, alice.auth()).statusCode());
            WsTestClient.Closed closed = laptopWs.awaitClose(WAIT);
            assertEquals(Frame.CLOSE_DEVICE_REMOVED, closed.code(), closed.reason());
        }
        assertEquals(null, server.store.countByDevice(alice.accountId()).get(2));
        assertEquals(401, server.send("GET", "/v1/devices", null, laptop.auth()).statusCode());

        // Bob's next send must cover device 1 only.
        var stale = server.send(bob, alice.accountId(), new SendMessageRequest(2, List.of(DeliveryTestServer.ciphertext(1, "x"),
                DeliveryTestServer.ciphertext(2, 4712, "x".getBytes())), List.of()));
        assertEquals(409, stale.statusCode(), stale.body());
        server.sendText(bob, alice, "after");
    }
}
