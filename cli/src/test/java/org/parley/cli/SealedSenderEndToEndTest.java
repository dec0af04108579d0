// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.parley.client.ParleyClient;
import org.parley.client.ReceiveEvent;
import org.parley.client.ReceiveOptions;
import org.parley.client.ReceivedMessage;
import org.parley.client.SendMode;
import org.parley.client.SendResult;
import org.parley.client.UndecryptableMessage;
import org.parley.client.crypto.DecryptionException;
import org.parley.client.crypto.EncryptedMessage;
import org.parley.client.crypto.Plaintext;
import org.parley.client.crypto.SealedCrypto;
import org.parley.client.crypto.SessionCrypto;
import org.parley.client.error.ParleyApiException;
import org.parley.client.store.LocalState;
import org.parley.client.transport.ParleyApi;
import org.parley.protocol.Json;
import org.parley.protocol.MessageType;
import org.parley.protocol.OutgoingMessage;
import org.parley.protocol.SealedSendRequest;
import org.parley.testing.TestClock;
import org.signal.libsignal.metadata.certificate.SenderCertificate;
import org.signal.libsignal.metadata.certificate.ServerCertificate;
import org.signal.libsignal.protocol.ecc.ECKeyPair;
import org.signal.libsignal.protocol.ecc.ECPrivateKey;

/**
 * Sealed sender end to end (issue 14): the real server, real libsignal, the client library. Alice writes
 * first (identified, carrying her access key); Bob's answer is then sealed.
 */
class SealedSenderEndToEndTest {
    @RegisterExtension
    static final CliUsers users = new CliUsers();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private String aliceHandle;
    private String bobHandle;
    private ParleyClient alice;
    private ParleyClient bob;

    @BeforeEach
    void registerTwoUsers() {
        aliceHandle = UserTestServer.freshHandle("alice");
        bobHandle = UserTestServer.freshHandle("bob");
        alice = users.server().register(users.homes().resolve("alice"), aliceHandle);
        bob = users.server().register(users.homes().resolve("bob"), bobHandle);
    }

    @AfterEach
    void closeClients() {
        alice.close();
        bob.close();
    }

    /** What {@code client} receives, without the delivery and read receipts every text earns. */
    private static List<ReceiveEvent> receiveAll(ParleyClient client) {
        List<ReceiveEvent> events = new ArrayList<>();
        client.receive(ReceiveOptions.drain(), e -> {
            if (!(e instanceof org.parley.client.ReceiptNotice)) {
                events.add(e);
            }
        });
        return events;
    }

    private static String accountId(ParleyClient client) {
        return client.account().orElseThrow().accountId();
    }

    /** Alice writes to Bob (identified: Bob has no key of hers yet) and Bob reads it, learning her key. */
    private void aliceIntroducesHerself() {
        SendResult first = alice.send(bobHandle, "hello bob");
        assertTrue(!((SendResult.Delivered) first).sealed(), "the first message cannot be sealed");
        assertEquals(1, receiveAll(bob).size());
    }

    @Test
    void sealedMessage_isStoredWithoutSender_andRecipientSeesVerifiedSender() throws Exception {
        aliceIntroducesHerself();

        SendResult reply = bob.send(aliceHandle, "hi alice, sealed");
        assertTrue(assertInstanceOf(SendResult.Delivered.class, reply).sealed());

        // The queued row, read from the server's database before Alice fetches it: no sender at all.
        List<List<Object>> rows = users.server().server.database().read(c -> {
            try (PreparedStatement s = c.prepareStatement(
                    "SELECT source_account_id, source_device_id, type FROM messages WHERE account_id = ?")) {
                s.setString(1, accountId(alice));
                List<List<Object>> out = new ArrayList<>();
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        out.add(java.util.Arrays.asList(rs.getObject(1), rs.getObject(2), rs.getString(3)));
                    }
                }
                return out;
            }
        });
        // Bob's reply and the receipts he owed for "hello bob" (sealed too, so they look like his reply).
        assertEquals(3, rows.size(), rows.toString());
        rows.forEach(row -> assertEquals(java.util.Arrays.asList(null, null, "sealed"), row));

        List<ReceiveEvent> atAlice = receiveAll(alice);
        assertEquals(1, atAlice.size(), atAlice.toString());
        ReceivedMessage m = assertInstanceOf(ReceivedMessage.class, atAlice.getFirst());
        assertEquals("hi alice, sealed", m.text());
        assertTrue(m.sealed());
        assertEquals(bobHandle, m.senderHandle());
        assertEquals(accountId(bob), m.sourceAccountId());
        assertEquals(1, m.sourceDeviceId());

        // Now both hold each other's keys: Alice's next message is sealed too, and Bob reads it.
        assertTrue(((SendResult.Delivered) alice.send(bobHandle, "and back")).sealed());
        ReceivedMessage back = assertInstanceOf(ReceivedMessage.class, receiveAll(bob).getFirst());
        assertEquals("and back", back.text());
        assertTrue(back.sealed());
        assertEquals(aliceHandle, back.senderHandle());
    }

    @Test
    void sealedSend_withWrongAccessKey_isRefusedWith401Json() {
        ParleyApi anonymous = new ParleyApi(URI.create(users.server().url()), HTTP, Duration.ofSeconds(10), null);
        int registrationId = alice.lookup(List.of(bobHandle)).getFirst().devices().getFirst().registrationId();
        SealedSendRequest request = new SealedSendRequest(System.currentTimeMillis(),
                List.of(new OutgoingMessage(1, registrationId, MessageType.SEALED, new byte[] {1, 2, 3})), null);

        ParleyApiException e = assertThrows(ParleyApiException.class,
                () -> anonymous.sendSealed(accountId(bob), new byte[16], request));

        assertEquals(401, e.status());
        assertEquals("unauthorized", e.error());
        assertTrue(e.body().startsWith("{"), e.body());
        // Nothing was queued for Bob.
        assertEquals(List.of(), receiveAll(bob));
    }

    @Test
    void unrestrictedAccount_acceptsSealedSendsWithoutItsKey() {
        bob.acceptSealedFromAnyone(true);
        ParleyApi anonymous = new ParleyApi(URI.create(users.server().url()), HTTP, Duration.ofSeconds(10), null);
        int registrationId = alice.lookup(List.of(bobHandle)).getFirst().devices().getFirst().registrationId();
        SealedSendRequest request = new SealedSendRequest(System.currentTimeMillis(),
                List.of(new OutgoingMessage(1, registrationId, MessageType.SEALED, new byte[] {1, 2, 3})), null);

        assertEquals(1, anonymous.sendSealed(accountId(bob), new byte[16], request).guids().size());

        bob.acceptSealedFromAnyone(false);
        assertEquals(401, assertThrows(ParleyApiException.class,
                () -> anonymous.sendSealed(accountId(bob), new byte[16], request)).status());
    }

    @Test
    void sealedSend_withDeviceCredentials_isRefused() throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(users.server().url() + "/v1/sealed-messages/" + accountId(bob)))
                .header("Authorization", "Basic eDp5")
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("{}"))
                .build();
        HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        assertEquals(400, response.statusCode(), response.body());
        assertEquals("invalid_request", Json.lenient().readTree(response.body()).get("error").asText());
    }

    @Test
    void trustRoot_isPublished_andKeptPrivateOnDisk() throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(
                URI.create(users.server().url() + "/.well-known/parley/sealed-sender-root")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode());
        byte[] published = Json.lenient().readTree(response.body()).get("publicKey").binaryValue();
        Path file = users.server().dataDir.resolve("sealed-sender-root.key");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertArrayEquals(new ECPrivateKey(Files.readAllBytes(file)).publicKey().serialize(), published);
    }

    @Test
    void forgedCertificate_isRejectedByRecipient() throws Exception {
        ECKeyPair otherRoot = ECKeyPair.generate();
        assertCertificateRefused(otherRoot.getPrivateKey(), Instant.now().plus(Duration.ofHours(1)));
    }

    @Test
    void expiredCertificate_isRejectedByRecipient() throws Exception {
        ECPrivateKey serverRoot = new ECPrivateKey(Files.readAllBytes(users.server().dataDir.resolve("sealed-sender-root.key")));
        assertCertificateRefused(serverRoot, Instant.now().minus(Duration.ofMinutes(1)));
    }

    /**
     * Alice seals a message to Bob with a certificate signed by {@code root} expiring at {@code expiry};
     * the server relays it (it cannot tell), Bob's client refuses its sender, and the session still works.
     */
    private void assertCertificateRefused(ECPrivateKey root, Instant expiry) throws Exception {
        aliceIntroducesHerself();
        bob.send(aliceHandle, "hi");
        receiveAll(alice);
        String aliceId = accountId(alice);
        String bobId = accountId(bob);
        alice.close();

        Path aliceHome = users.homes().resolve("alice");
        try (LocalState state = LocalState.open(aliceHome)) {
            ECKeyPair serverKey = ECKeyPair.generate();
            ServerCertificate server = new ServerCertificate(root, 9, serverKey.getPublicKey());
            SenderCertificate certificate = server.issue(serverKey.getPrivateKey(), aliceId, Optional.empty(), 1,
                    state.protocolStore().getIdentityKeyPair().getPublicKey().getPublicKey(), expiry.toEpochMilli());
            EncryptedMessage sealed = state.database().sql(c -> new SealedCrypto(state.protocolStore(), aliceId, 1)
                    .encrypt(SessionCrypto.address(bobId, 1), certificate.getSerialized(),
                            Plaintext.message("forged", System.currentTimeMillis()).encode()));
            byte[] bobKey = state.sealedSender().contactAccessKey(bobId).orElseThrow();
            new ParleyApi(URI.create(users.server().url()), HTTP, Duration.ofSeconds(10), null).sendSealed(bobId, bobKey,
                    new SealedSendRequest(System.currentTimeMillis(), List.of(new OutgoingMessage(sealed.deviceId(),
                            sealed.registrationId(), sealed.type(), sealed.content())), null));
        }

        List<ReceiveEvent> atBob = receiveAll(bob);
        assertEquals(1, atBob.size(), atBob.toString());
        UndecryptableMessage refused = assertInstanceOf(UndecryptableMessage.class, atBob.getFirst());
        assertEquals(DecryptionException.Reason.INVALID_SENDER, refused.reason());
        assertNull(refused.senderHandle());

        // A genuine sealed message on the same session still reads.
        alice = ParleyClient.open(aliceHome);
        assertTrue(((SendResult.Delivered) alice.send(bobHandle, "genuine")).sealed());
        ReceivedMessage genuine = assertInstanceOf(ReceivedMessage.class, receiveAll(bob).getFirst());
        assertEquals("genuine", genuine.text());
        assertEquals(aliceHandle, genuine.senderHandle());
    }

    /** A server of its own with small limits and a clock that stands still, so each window is exact. */
    @Test
    void flood_isStoppedPerRecipientThenPerAddress_with429Json() throws IOException {
        Path dir = Files.createTempDirectory("parley-sealed-limits");
        TestClock clock = new TestClock(Instant.now());
        try (UserTestServer limited = UserTestServer.start(dir, Map.of(
                "PARLEY_SEALED_SENDER_MAX_PER_RECIPIENT_PER_MINUTE", "3",
                "PARLEY_SEALED_SENDER_MAX_PER_IP_PER_MINUTE", "6"), clock);
                ParleyClient carol = limited.register(users.homes().resolve("carol"), UserTestServer.freshHandle("carol"));
                ParleyClient dave = limited.register(users.homes().resolve("dave"), UserTestServer.freshHandle("dave"))) {
            String carolHandle = carol.account().orElseThrow().handle();
            String daveHandle = dave.account().orElseThrow().handle();
            carol.send(daveHandle, "hi dave");
            receiveAll(dave);
            // Dave's receipts for it went to Carol sealed and used this minute's windows: start a fresh minute.
            clock.advance(Duration.ofMinutes(1));

            for (int i = 0; i < 3; i++) {
                assertTrue(((SendResult.Delivered) dave.send(carolHandle, "flood " + i, SendMode.SEALED)).sealed());
            }
            ParleyApiException perRecipient = assertThrows(ParleyApiException.class,
                    () -> dave.send(carolHandle, "one too many", SendMode.SEALED));
            assertEquals(429, perRecipient.status());
            assertEquals("rate_limited", perRecipient.error());
            assertTrue(perRecipient.retryAfterSeconds().orElseThrow() >= 1);
            assertEquals("rate_limited", Json.lenient().readTree(perRecipient.body()).get("error").asText());

            // Four attempts so far from this address; two wrong keys make six, the seventh is refused by address.
            ParleyApi anonymous = new ParleyApi(URI.create(limited.url()), HTTP, Duration.ofSeconds(10), null);
            SealedSendRequest junk = new SealedSendRequest(clock.millis(),
                    List.of(new OutgoingMessage(1, 1, MessageType.SEALED, new byte[] {1})), null);
            for (int i = 0; i < 2; i++) {
                assertEquals(401, assertThrows(ParleyApiException.class,
                        () -> anonymous.sendSealed(accountId(dave), new byte[16], junk)).status());
            }
            ParleyApiException perAddress = assertThrows(ParleyApiException.class,
                    () -> anonymous.sendSealed(accountId(dave), new byte[16], junk));
            assertEquals(429, perAddress.status());

            // A new minute opens both windows again.
            clock.advance(Duration.ofMinutes(1));
            assertTrue(((SendResult.Delivered) dave.send(carolHandle, "next minute", SendMode.SEALED)).sealed());
            assertEquals(4, receiveAll(carol).stream().filter(e -> e instanceof ReceivedMessage m && m.sealed()).count());
        } finally {
            CliUsers.deleteTree(dir);
        }
    }
}
