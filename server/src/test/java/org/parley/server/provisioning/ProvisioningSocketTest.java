// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.provisioning;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.protocol.Json;
import org.parley.protocol.ProvisioningFrame;
import org.parley.protocol.ProvisioningMessage;
import org.parley.server.delivery.WsTestClient;
import org.parley.server.testing.RawWebSocket;
import org.parley.server.testing.TestHttp;
import org.parley.server.testing.WiredServer;

/**
 * The provisioning socket of the fully wired server over real WebSockets: a new device waits
 * unauthenticated, an authenticated device sends it one message, the server relays it unchanged and
 * closes; a second message, an unknown id and a missing login are refused with JSON errors; client
 * frames close the socket, and the RFC 6455 checks of the delivery socket apply here too.
 */
class ProvisioningSocketTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    static Path dir;

    private static WiredServer server;
    private final TestHttp http = new TestHttp();

    @BeforeAll
    static void start() {
        server = WiredServer.start(dir.resolve("data"));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static WsTestClient open() throws Exception {
        return WsTestClient.connect(URI.create("ws://127.0.0.1:" + server.port() + ProvisioningFeature.PATH), null);
    }

    private static ProvisioningFrame frame(WsTestClient ws) throws Exception {
        return Json.lenient().readValue(ws.nextText(WAIT), ProvisioningFrame.class);
    }

    private HttpResponse<String> put(String id, byte[] body, String auth) {
        return http.send(server.port(), "PUT", ProvisioningFeature.PATH + "/" + id, new ProvisioningMessage(body), auth);
    }

    @Test
    void message_isRelayedUnchanged_thenTheSocketCloses_andTheIdIsSpent() throws Exception {
        try (WsTestClient ws = open()) {
            ProvisioningFrame.Address address = (ProvisioningFrame.Address) frame(ws);
            assertTrue(address.id().length() >= 22, "the id carries at least 128 random bits");
            assertTrue(address.expiresAt() > System.currentTimeMillis());

            byte[] sealed = {1, 2, 3, 4, (byte) 0xFF};
            assertEquals(204, put(address.id(), sealed, server.deviceAuth()).statusCode());
            ProvisioningFrame.Message message = (ProvisioningFrame.Message) frame(ws);
            assertArrayEquals(sealed, message.body());
            assertEquals(1000, ws.awaitClose(WAIT).code());

            HttpResponse<String> again = put(address.id(), sealed, server.deviceAuth());
            assertEquals(404, again.statusCode());
            assertEquals("not_found", TestHttp.parse(again).path("error").asText());
        }
    }

    @Test
    void sending_needsADeviceLogin() throws Exception {
        try (WsTestClient ws = open()) {
            ProvisioningFrame.Address address = (ProvisioningFrame.Address) frame(ws);
            HttpResponse<String> response = put(address.id(), new byte[] {1}, null);
            assertEquals(401, response.statusCode());
            JsonNode body = TestHttp.parse(response);
            assertFalse(body.path("error").asText().isEmpty());
            ws.expectSilence(Duration.ofMillis(200));
            assertFalse(ws.isClosed(), "a refused sender does not end the wait");
        }
    }

    @Test
    void unknownId_is404Json_andAnEmptyBody400() {
        HttpResponse<String> unknown = put("AAAAAAAAAAAAAAAAAAAAAA", new byte[] {1}, server.deviceAuth());
        assertEquals(404, unknown.statusCode());
        assertEquals("not_found", TestHttp.parse(unknown).path("error").asText());
        HttpResponse<String> empty = http.send(server.port(), "PUT", ProvisioningFeature.PATH + "/x",
                Map.of("body", ""), server.deviceAuth());
        assertEquals(400, empty.statusCode());
    }

    @Test
    void aClientFrame_closesTheSocket() throws Exception {
        try (WsTestClient ws = open()) {
            frame(ws);
            ws.sendText("{\"type\":\"ack\"}");
            assertEquals(1008, ws.awaitClose(WAIT).code());
        }
    }

    @Test
    void reservedOpcode_closes1002_asOnTheDeliverySocket() throws Exception {
        try (RawWebSocket ws = RawWebSocket.open(server.port(), ProvisioningFeature.PATH, null)) {
            ws.send(0x80 | 0x3, new byte[] {1, 2, 3});
            RawWebSocket.Ending ending = ws.awaitClose();
            assertFalse(ending.closedWithoutFrame());
            assertEquals(1002, ending.code());
        }
    }
}
