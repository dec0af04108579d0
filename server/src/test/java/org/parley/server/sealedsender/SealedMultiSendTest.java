// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.sealedsender;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.parley.server.delivery.DeliveryTestServer.REGISTRATION_ID;
import static org.parley.server.delivery.DeliveryTestServer.ok;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.protocol.AccessKeySettings;
import org.parley.protocol.Json;
import org.parley.protocol.MessageType;
import org.parley.protocol.OutgoingMessage;
import org.parley.protocol.SealedMultiRecipientRequest;
import org.parley.protocol.SealedMultiRecipientRequest.SealedRecipient;
import org.parley.server.delivery.DeliveryTestServer;
import org.parley.server.testing.AccountsTestServer.Device;

/** {@code PUT /v1/sealed-messages/multi} over real HTTP on a real SQLite file. */
class SealedMultiSendTest {
    private static final byte[] BOB_KEY = key(1);
    private static final byte[] CAROL_KEY = key(2);

    @TempDir
    Path dir;

    private DeliveryTestServer server;
    private Device alice;
    private Device bob;
    private Device carol;

    @AfterEach
    void tearDown() {
        if (server != null) {
            server.close();
        }
    }

    private static byte[] key(int fill) {
        byte[] key = new byte[AccessKeySettings.KEY_BYTES];
        java.util.Arrays.fill(key, (byte) fill);
        return key;
    }

    /** Bob (two devices) and Carol set access keys; Alice sets none. */
    private void start() {
        server = DeliveryTestServer.start(dir);
        alice = server.register("alice@example.org");
        bob = server.register("bob@example.org");
        server.addDevice(bob, 2, REGISTRATION_ID);
        carol = server.register("carol@example.org");
        setKey(bob, BOB_KEY, false);
        setKey(carol, CAROL_KEY, false);
    }

    private void setKey(Device device, byte[] key, boolean unrestricted) {
        HttpResponse<String> r = server.send("PUT", "/v1/me/access-key", new AccessKeySettings(key, unrestricted),
                device.auth());
        assertEquals(204, r.statusCode(), r.body());
    }

    private static OutgoingMessage sealed(int deviceId) {
        return new OutgoingMessage(deviceId, REGISTRATION_ID, MessageType.SEALED, new byte[] {(byte) deviceId, 7});
    }

    private HttpResponse<String> multi(SealedRecipient... recipients) {
        return server.send("PUT", "/v1/sealed-messages/multi",
                new SealedMultiRecipientRequest(server.clock.millis(), List.of(recipients)), null);
    }

    private HttpResponse<String> raw(String json, String auth) {
        try {
            return server.send("PUT", "/v1/sealed-messages/multi", Json.lenient().readTree(json), auth);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode refused(HttpResponse<String> response, int status) throws Exception {
        assertEquals(status, response.statusCode(), response.body());
        JsonNode body = Json.lenient().readTree(response.body());
        assertTrue(body.hasNonNull("error") && body.hasNonNull("message"), response.body());
        return body;
    }

    @Test
    void send_everyKeyRight_storesEveryEnvelopeWithoutSource() {
        start();

        JsonNode answer = ok(multi(new SealedRecipient(bob.accountId(), BOB_KEY, List.of(sealed(1), sealed(2))),
                new SealedRecipient(carol.accountId(), CAROL_KEY, List.of(sealed(1)))));

        assertEquals(3, answer.get("guids").size());
        assertEquals(3, server.store.count());
        for (var m : List.of(server.store.page(bob.accountId(), 1, 0, 10).getFirst(),
                server.store.page(bob.accountId(), 2, 0, 10).getFirst(),
                server.store.page(carol.accountId(), 1, 0, 10).getFirst())) {
            assertNull(m.sourceAccountId());
            assertEquals(MessageType.SEALED, m.type());
        }
    }

    @Test
    void send_wrongKeyKeylessOrUnknownAccount_is401NamingEach_andStoresNothing() throws Exception {
        start();

        JsonNode body = refused(multi(new SealedRecipient(bob.accountId(), CAROL_KEY, List.of(sealed(1), sealed(2))),
                new SealedRecipient(carol.accountId(), CAROL_KEY, List.of(sealed(1))),
                new SealedRecipient(alice.accountId(), BOB_KEY, List.of(sealed(1))),
                new SealedRecipient("no-such-account", BOB_KEY, List.of(sealed(1))),
                new SealedRecipient(carol.accountId() + "x", null, List.of(sealed(1)))), 401);

        assertEquals("unauthorized", body.get("error").asText());
        assertEquals(List.of(bob.accountId(), alice.accountId(), "no-such-account", carol.accountId() + "x"),
                Json.lenient().convertValue(body.get("accounts"), List.class));
        assertEquals(0, server.store.count());
    }

    @Test
    void send_toAnUnrestrictedAccount_needsNoKey() {
        start();
        setKey(carol, CAROL_KEY, true);

        ok(multi(new SealedRecipient(carol.accountId(), null, List.of(sealed(1)))));

        assertEquals(1, server.store.count());
    }

    @Test
    void send_missingDeviceOrStaleRegistration_is409Or410PerAccount_andStoresNothing() throws Exception {
        start();

        JsonNode mismatch = refused(multi(new SealedRecipient(bob.accountId(), BOB_KEY, List.of(sealed(1))),
                new SealedRecipient(carol.accountId(), CAROL_KEY, List.of(sealed(1)))), 409);
        assertEquals(bob.accountId(), mismatch.get("mismatches").get(0).get("accountId").asText());
        assertEquals(2, mismatch.get("mismatches").get(0).get("missingDevices").get(0).asInt());

        server.setRegistrationId(carol.accountId(), 1, 999);
        JsonNode stale = refused(multi(new SealedRecipient(bob.accountId(), BOB_KEY, List.of(sealed(1), sealed(2))),
                new SealedRecipient(carol.accountId(), CAROL_KEY, List.of(sealed(1)))), 410);
        assertEquals(carol.accountId(), stale.get("stale").get(0).get("accountId").asText());
        assertEquals(0, server.store.count());
    }

    @Test
    void send_badBodies_are400Json_andStoreNothing() throws Exception {
        start();
        String key = Base64.getEncoder().encodeToString(CAROL_KEY);
        String one = "{\"deviceId\":1,\"registrationId\":4711,\"type\":\"sealed\",\"content\":\"AQI=\"}";
        String carolOne = "{\"accountId\":\"" + carol.accountId() + "\",\"accessKey\":\"" + key + "\",\"messages\":["
                + one + "]}";
        List<String> bad = List.of(
                "{\"timestamp\":1,\"recipients\":[]}",
                "{\"timestamp\":1}",
                "{\"timestamp\":0,\"recipients\":[" + carolOne + "]}",
                "{\"timestamp\":1,\"recipients\":[" + carolOne + "," + carolOne + "]}",
                "{\"timestamp\":1,\"recipients\":[{\"accountId\":\"" + carol.accountId() + "\",\"accessKey\":\"" + key
                        + "\",\"messages\":[" + one + "," + one + "]}]}",
                "{\"timestamp\":1,\"recipients\":[{\"accountId\":\"" + carol.accountId() + "\",\"messages\":[]}]}",
                "{\"timestamp\":1,\"recipients\":[{\"accountId\":\"" + carol.accountId() + "\",\"accessKey\":\"AQID\","
                        + "\"messages\":[" + one + "]}]}",
                "{\"timestamp\":1,\"recipients\":[{\"accountId\":\"" + carol.accountId() + "\",\"accessKey\":\"" + key
                        + "\",\"messages\":[" + one.replace("sealed", "senderkey") + "]}]}",
                "{\"timestamp\":1,\"recipients\":[{\"messages\":[" + one + "]}]}",
                "[1,2,3]");
        for (String json : bad) {
            JsonNode body = refused(raw(json, null), 400);
            // invalid_request for a body that breaks a rule, invalid_json for one that is not the record's shape.
            assertTrue(body.get("error").asText().startsWith("invalid_"), json + " -> " + body);
        }
        // Device credentials would name the sender.
        refused(raw("{\"timestamp\":1,\"recipients\":[" + carolOne + "]}", alice.auth()), 400);
        assertEquals(0, server.store.count());
    }
}
