// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.messages;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.parley.server.delivery.DeliveryTestServer.ciphertext;
import static org.parley.server.delivery.DeliveryTestServer.ok;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.protocol.Json;
import org.parley.protocol.MismatchedDevicesResponse;
import org.parley.protocol.MultiRecipientRequest;
import org.parley.protocol.MultiRecipientRequest.RecipientMessages;
import org.parley.protocol.StaleDevicesResponse;
import org.parley.server.delivery.DeliveryTestServer;
import org.parley.server.testing.AccountsTestServer.Device;

/** {@code PUT /v1/messages/multi} over real HTTP on a real SQLite file. */
class MultiRecipientSendTest {
    @TempDir
    Path dir;

    private DeliveryTestServer server;

    @AfterEach
    void tearDown() {
        if (server != null) {
            server.close();
        }
    }

    private HttpResponse<String> multi(Device from, RecipientMessages... recipients) {
        return server.send("PUT", "/v1/messages/multi",
                new MultiRecipientRequest(server.clock.millis(), List.of(recipients)), from.auth());
    }

    @Test
    void send_toSeveralAccountsAndOwnDevices_commitsEveryEnvelopeInOneRequest() {
        server = DeliveryTestServer.start(dir);
        Device alice = server.register("alice@example.org");
        server.addDevice(alice, 2, 22);
        Device bob = server.register("bob@example.org");
        server.addDevice(bob, 2, 22);
        Device carol = server.register("carol@example.org");

        JsonNode answer = ok(multi(alice,
                new RecipientMessages(bob.accountId(), List.of(ciphertext(1, "b1"), ciphertext(2, 22, new byte[] {2}))),
                new RecipientMessages(carol.accountId(), List.of(ciphertext(1, "c1"))),
                new RecipientMessages(alice.accountId(), List.of(ciphertext(2, 22, new byte[] {9})))));

        assertEquals(4, answer.get("guids").size());
        assertEquals(4, server.store.count());
        assertEquals(1, server.store.page(bob.accountId(), 2, 0, 10).size());
        assertEquals(1, server.store.page(carol.accountId(), 1, 0, 10).size());
        assertEquals(1, server.store.page(alice.accountId(), 2, 0, 10).size());
        assertEquals(alice.accountId(), server.store.page(carol.accountId(), 1, 0, 10).getFirst().sourceAccountId());
    }

    @Test
    void send_missingDeviceOrDeletedAccount_is409PerAccountAndQueuesNothing() throws Exception {
        server = DeliveryTestServer.start(dir);
        Device alice = server.register("alice@example.org");
        Device bob = server.register("bob@example.org");
        server.addDevice(bob, 2, 22);

        HttpResponse<String> response = multi(alice,
                new RecipientMessages(bob.accountId(), List.of(ciphertext(1, "b1"))),
                new RecipientMessages("no-such-account", List.of(ciphertext(1, "x"))));

        assertEquals(409, response.statusCode(), response.body());
        MismatchedDevicesResponse body = Json.lenient().readValue(response.body(), MismatchedDevicesResponse.class);
        assertEquals(2, body.mismatches().size());
        assertEquals(bob.accountId(), body.mismatches().get(0).accountId());
        assertEquals(List.of(2), body.mismatches().get(0).missingDevices());
        assertEquals("no-such-account", body.mismatches().get(1).accountId());
        assertEquals(List.of(1), body.mismatches().get(1).extraDevices());
        assertEquals(0, server.store.count());
    }

    @Test
    void send_staleRegistrationId_is410AndQueuesNothing() throws Exception {
        server = DeliveryTestServer.start(dir);
        Device alice = server.register("alice@example.org");
        Device bob = server.register("bob@example.org");
        Device carol = server.register("carol@example.org");
        server.setRegistrationId(carol.accountId(), 1, 999);

        HttpResponse<String> response = multi(alice,
                new RecipientMessages(bob.accountId(), List.of(ciphertext(1, "b1"))),
                new RecipientMessages(carol.accountId(), List.of(ciphertext(1, "c1"))));

        assertEquals(410, response.statusCode(), response.body());
        StaleDevicesResponse body = Json.lenient().readValue(response.body(), StaleDevicesResponse.class);
        assertEquals(carol.accountId(), body.stale().getFirst().accountId());
        assertEquals(List.of(1), body.stale().getFirst().staleDevices());
        assertEquals(0, server.store.count());
    }

    @Test
    void send_accountNamedTwice_is400() {
        server = DeliveryTestServer.start(dir);
        Device alice = server.register("alice@example.org");
        Device bob = server.register("bob@example.org");
        String body = "{\"timestamp\":1,\"recipients\":[{\"accountId\":\"" + bob.accountId() + "\",\"messages\":[]},"
                + "{\"accountId\":\"" + bob.accountId() + "\",\"messages\":[]}]}";
        HttpResponse<String> response = server.send("PUT", "/v1/messages/multi", Json.lenient().valueToTree(
                readTree(body)), alice.auth());
        assertEquals(400, response.statusCode(), response.body());
    }

    private static JsonNode readTree(String json) {
        try {
            return Json.lenient().readTree(json);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
