// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.messages;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.parley.server.delivery.DeliveryTestServer.REGISTRATION_ID;
import static org.parley.server.delivery.DeliveryTestServer.ciphertext;
import static org.parley.server.delivery.DeliveryTestServer.ok;
import static org.parley.server.delivery.DeliveryTestServer.parse;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.protocol.Json;
import org.parley.protocol.Limits;
import org.parley.protocol.MismatchedDevicesResponse;
import org.parley.protocol.SendMessageRequest;
import org.parley.protocol.StaleDevicesResponse;
import org.parley.server.delivery.DeliveryTestServer;
import org.parley.server.testing.AccountsTestServer.Device;

/** {@code PUT /v1/messages/{accountId}} over real HTTP on a real SQLite file. */
class MessagesSendTest {
    @TempDir
    Path dir;

    private DeliveryTestServer server;

    @AfterEach
    void tearDown() {
        if (server != null) {
            server.close();
        }
    }

    private SendMessageRequest request(List<org.parley.protocol.OutgoingMessage> messages,
                                       List<org.parley.protocol.OutgoingMessage> sync) {
        return new SendMessageRequest(server.clock.millis() - 5, messages, sync);
    }

    private static <T> T body(HttpResponse<String> response, Class<T> type) throws Exception {
        return Json.lenient().readValue(response.body(), type);
    }

    @Test
    void send_toOfflineDevice_returnsGuidsAndCommitsBeforeAnswering() throws Exception {
        server = DeliveryTestServer.start(dir);
        Device alice = server.register("alice@example.org");
        Device bob = server.register("bob@example.org");

        JsonNode answer = ok(server.send(alice, bob.accountId(), request(List.of(ciphertext(1, "hi")), List.of())));
        String guid = answer.get("guids").get(0).get("guid").asText();
        assertEquals(server.clock.millis(), answer.get("serverTimestamp").asLong());
        assertEquals(bob.accountId(), answer.get("guids").get(0).get("accountId").asText());
        assertEquals(1, answer.get("guids").get(0).get("deviceId").asInt());

        // Cut the server off without closing the database, then look with a brand-new connection:
        // it can only see what was committed, so the row was durable when the 200 went out.
        server.stopWebServerOnly();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + server.databaseFile);
             PreparedStatement s = c.prepareStatement("SELECT account_id, device_id, source_account_id, source_device_id, "
                     + "type, content, client_timestamp, server_timestamp, expires_at FROM messages WHERE guid = ?")) {
            s.setString(1, guid);
            try (ResultSet rs = s.executeQuery()) {
                assertTrue(rs.next(), "the envelope is in the queue");
                assertEquals(bob.accountId(), rs.getString(1));
                assertEquals(1, rs.getInt(2));
                assertEquals(alice.accountId(), rs.getString(3));
                assertEquals(1, rs.getInt(4));
                assertEquals("signal", rs.getString(5));
                assertArrayEquals("hi".getBytes(StandardCharsets.UTF_8), rs.getBytes(6));
                assertEquals(server.clock.millis() - 5, rs.getLong(7));
                assertEquals(server.clock.millis(), rs.getLong(8));
                assertEquals(server.clock.millis() + Duration.ofDays(30).toMillis(), rs.getLong(9));
            }
        }
    }

    @Test
    void send_withSyncCopies_queuesEveryEnvelopeInOneGo() throws Exception {
        server = DeliveryTestServer.start(dir);
        Device alice = server.register("alice@example.org");
        server.addDevice(alice, 2, 22);
        Device bob = server.register("bob@example.org");
        server.addDevice(bob, 3, 33);

        JsonNode answer = ok(server.send(alice, bob.accountId(), request(
                List.of(ciphertext(1, "to bob 1"), ciphertext(3, 33, new byte[] {3})),
                List.of(ciphertext(2, 22, new byte[] {2})))));

        assertEquals(3, answer.get("guids").size());
        assertEquals(alice.accountId(), answer.get("guids").get(2).get("accountId").asText());
        assertEquals(2, answer.get("guids").get(2).get("deviceId").asInt());
        assertEquals(3, server.store.count());
        assertEquals(1, server.store.page(alice.accountId(), 2, 0, 10).size());
        assertEquals(1.0, server.meters.get("parley.messages.sent").counter().count());
        assertEquals(3.0, server.meters.get("parley.messages.envelopes.stored").counter().count());
        assertEquals(3.0, server.meters.get("parley.queue.depth").gauge().value());
    }

    @Test
    void send_missingAndExtraDevices_returns409ListingBoth() throws Exception {
        server = DeliveryTestServer.start(dir);
        Device alice = server.register("alice@example.org");
        Device bob = server.register("bob@example.org");
        server.addDevice(bob, 2, 22);

        HttpResponse<String> response = server.send(alice, bob.accountId(), request(
                List.of(ciphertext(1, "a"), ciphertext(5, "b")), List.of()));

        assertEquals(409, response.statusCode());
        MismatchedDevicesResponse body = body(response, MismatchedDevicesResponse.class);
        assertEquals("mismatched_devices", body.error());
        assertEquals(1, body.mismatches().size());
        assertEquals(bob.accountId(), body.mismatches().get(0).accountId());
        assertEquals(List.of(2), body.mismatches().get(0).missingDevices());
        assertEquals(List.of(5), body.mismatches().get(0).extraDevices());
        assertEquals(0, server.store.count());
    }

    @Test
    void send_missingSyncDevice_returns409ForTheSendersAccount() throws Exception {
        server = DeliveryTestServer.start(dir);
        Device alice = server.register("alice@example.org");
        server.addDevice(alice, 2, 22);
        Device bob = server.register("bob@example.org");

        HttpResponse<String> response = server.send(alice, bob.accountId(), request(List.of(ciphertext(1, "a")),
                List.of(ciphertext(1, "copy for myself?"))));

        assertEquals(409, response.statusCode());
        MismatchedDevicesResponse body = body(response, MismatchedDevicesResponse.class);
        assertEquals(1, body.mismatches().size());
        assertEquals(alice.accountId(), body.mismatches().get(0).accountId());
        assertEquals(List.of(2), body.mismatches().get(0).missingDevices());
        assertEquals(List.of(1), body.mismatches().get(0).extraDevices());
    }

    @Test
    void send_toOwnAccount_coversTheOtherDevicesWithMessages() throws Exception {
        server = DeliveryTestServer.start(dir);
        Device alice = server.register("alice@example.org");
        server.addDevice(alice, 2, 22);

        ok(server.send(alice, alice.accountId(), request(List.of(ciphertext(2, 22, new byte[] {1})), List.of())));

        HttpResponse<String> toSelfToo = server.send(alice, alice.accountId(), request(
                List.of(ciphertext(1, "a"), ciphertext(2, 22, new byte[] {1})), List.of()));
        assertEquals(409, toSelfToo.statusCode());
        assertEquals(List.of(1), body(toSelfToo, MismatchedDevicesResponse.class).mismatches().get(0).extraDevices());

        HttpResponse<String> withSync = server.send(alice, alice.accountId(), request(
                List.of(ciphertext(2, 22, new byte[] {1})), List.of(ciphertext(2, 22, new byte[] {1}))));
        assertEquals(400, withSync.statusCode());
        assertEquals(1, server.store.count());
    }

    @Test
    void send_staleRegistrationId_returns410() throws Exception {
        server = DeliveryTestServer.start(dir);
        Device alice = server.register("alice@example.org");
        server.addDevice(alice, 2, 22);
        Device bob = server.register("bob@example.org");
        server.setRegistrationId(bob.accountId(), 1, 999);

        HttpResponse<String> response = server.send(alice, bob.accountId(), request(List.of(ciphertext(1, "a")),
                List.of(ciphertext(2, 21, new byte[] {1}))));

        assertEquals(410, response.statusCode());
        StaleDevicesResponse body = body(response, StaleDevicesResponse.class);
        assertEquals("stale_devices", body.error());
        assertEquals(2, body.stale().size());
        assertEquals(bob.accountId(), body.stale().get(0).accountId());
        assertEquals(List.of(1), body.stale().get(0).staleDevices());
        assertEquals(alice.accountId(), body.stale().get(1).accountId());
        assertEquals(List.of(2), body.stale().get(1).staleDevices());
        assertEquals(0, server.store.count());
    }

    @Test
    void send_sameDeviceTwice_returns400() {
        server = DeliveryTestServer.start(dir);
        Device alice = server.register("alice@example.org");
        Device bob = server.register("bob@example.org");

        HttpResponse<String> response = server.send(alice, bob.accountId(), request(
                List.of(ciphertext(1, "a"), ciphertext(1, "b")), List.of()));

        assertEquals(400, response.statusCode());
        assertEquals("invalid_request", parse(response).get("error").asText());
    }

    @Test
    void send_unknownDestination_returns404() {
        server = DeliveryTestServer.start(dir);
        Device alice = server.register("alice@example.org");

        HttpResponse<String> response = server.send(alice, "6f1c2d3e-0000-4000-8000-000000000000",
                request(List.of(ciphertext(1, "a")), List.of()));

        assertEquals(404, response.statusCode());
        assertEquals("not_found", parse(response).get("error").asText());
    }

    @Test
    void send_withoutCredentials_returns401() {
        server = DeliveryTestServer.start(dir);
        Device bob = server.register("bob@example.org");

        HttpResponse<String> response = server.send("PUT", "/v1/messages/" + bob.accountId(),
                Map.of("timestamp", 1, "messages", List.of()), null);

        assertEquals(401, response.statusCode());
    }

    @Test
    void send_ciphertextOver256KiB_returns413() {
        server = DeliveryTestServer.start(dir);
        Device alice = server.register("alice@example.org");
        Device bob = server.register("bob@example.org");
        String content = Base64.getEncoder().encodeToString(new byte[300 * 1024]);

        HttpResponse<String> response = server.send("PUT", "/v1/messages/" + bob.accountId(), Map.of(
                "timestamp", 1, "messages", List.of(Map.of("deviceId", 1, "registrationId", REGISTRATION_ID,
                        "type", "signal", "content", content))), alice.auth());

        assertEquals(413, response.statusCode());
        assertEquals("payload_too_large", parse(response).get("error").asText());
        assertEquals(0, server.store.count());
    }

    @Test
    void send_ciphertextOfExactly256KiB_isAccepted() {
        server = DeliveryTestServer.start(dir);
        Device alice = server.register("alice@example.org");
        Device bob = server.register("bob@example.org");

        ok(server.send(alice, bob.accountId(), request(List.of(ciphertext(1, REGISTRATION_ID,
                new byte[Limits.MAX_CIPHERTEXT_BYTES])), List.of())));

        assertEquals(1, server.store.count());
    }

    @Test
    void purge_afterTtl_removesExpiredEnvelopesOnly() {
        server = DeliveryTestServer.start(dir);
        Device alice = server.register("alice@example.org");
        Device bob = server.register("bob@example.org");
        server.sendText(alice, bob, "old");
        server.clock.advance(Duration.ofDays(10));
        server.sendText(alice, bob, "newer");

        server.clock.advance(Duration.ofDays(20).minusMillis(1));
        server.purges.runOnce();
        assertEquals(2, server.store.count());

        server.clock.advance(Duration.ofMillis(1));
        server.purges.runOnce();
        List<String> left = new ArrayList<>();
        server.store.page(bob.accountId(), 1, 0, 10).forEach(m -> left.add(new String(m.content(), StandardCharsets.UTF_8)));
        assertEquals(List.of("newer"), left);
        assertEquals(1.0, server.meters.get("parley.purge.deleted").tag("job", "messages").counter().count());
    }
}
