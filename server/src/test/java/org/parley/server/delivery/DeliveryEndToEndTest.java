// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.delivery;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpResponse;
import java.net.http.WebSocketHandshakeException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.protocol.Frame;
import org.parley.protocol.Limits;
import org.parley.protocol.MessageType;
import org.parley.protocol.OutgoingMessage;
import org.parley.protocol.RegistrationRequest;
import org.parley.protocol.SendMessageRequest;
import org.parley.server.ParleyServer;
import org.parley.server.config.ConfigLoader;
import org.parley.server.testing.AccountsTestKeys;
import org.parley.server.testing.TestHttp;

/** Send and receive through the fully wired {@link ParleyServer}: HTTP routing, filters and WebSocket routing together. */
class DeliveryEndToEndTest {
    @TempDir
    Path dir;

    private final TestHttp http = new TestHttp();

    private HttpResponse<String> send(URI base, String method, String path, Object body, String auth) {
        return http.send(base.getPort(), method, path, body, auth);
    }

    /** Registers {@code handle}; returns {accountId, Basic auth}. */
    private String[] register(ParleyServer server, String handle) throws Exception {
        JsonNode session = DeliveryTestServer.ok(send(server.uri(), "POST", "/v1/verification/sessions",
                Map.of("handle", handle), null));
        String code = Files.readString(server.config().http().dataDir().resolve("dev-codes").resolve(handle)).strip();
        AccountsTestKeys keys = new AccountsTestKeys();
        JsonNode account = DeliveryTestServer.ok(send(server.uri(), "POST", "/v1/accounts",
                new RegistrationRequest(session.get("sessionId").asText(), code, keys.registration(100)), null));
        String accountId = account.get("accountId").asText();
        return new String[] {accountId, keys.basic(accountId, 1)};
    }

    @Test
    void sendThenConnect_throughTheWiredServer_deliversAndAcks() throws Exception {
        try (ParleyServer server = ParleyServer.start(ConfigLoader.defaultsOnly().withHttp("127.0.0.1", 0, dir),
                Clock.systemUTC())) {
            String[] alice = register(server, "alice@example.org");
            String[] bob = register(server, "bob@example.org");
            byte[] content = new byte[Limits.MAX_CIPHERTEXT_BYTES];
            new java.util.Random(1).nextBytes(content);
            DeliveryTestServer.ok(send(server.uri(), "PUT", "/v1/messages/" + bob[0], new SendMessageRequest(
                    System.currentTimeMillis(), List.of(new OutgoingMessage(1, 100, MessageType.PREKEY, content)), List.of()),
                    alice[1]));
            URI ws = URI.create("ws://127.0.0.1:" + server.port() + DeliveryFeature.PATH);

            WebSocketHandshakeException refused = assertThrows(WebSocketHandshakeException.class,
                    () -> WsTestClient.connect(ws, alice[1].substring(0, alice[1].length() - 4) + "AAA="));
            assertEquals(401, refused.getResponse().statusCode());

            try (WsTestClient bobWs = WsTestClient.connect(ws, bob[1])) {
                Frame.EnvelopeFrame frame = bobWs.nextEnvelope();
                assertArrayEquals(content, frame.envelope().content());
                assertEquals("alice@example.org", frame.envelope().sourceHandle());
                assertInstanceOf(Frame.QueueEmpty.class, bobWs.next());
                bobWs.ack(frame.envelope().guid());
                long deadline = System.nanoTime() + 10_000_000_000L;
                while (countMessages(server) > 0 && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                }
                assertEquals(0, countMessages(server));
            }
        }
    }

    private static long countMessages(ParleyServer server) {
        return server.database().read(c -> {
            try (var s = c.createStatement(); var rs = s.executeQuery("SELECT COUNT(*) FROM messages")) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }
}
