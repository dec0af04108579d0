// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.client.crypto;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.client.error.ParleyCryptoException;
import org.parley.protocol.DeviceBundle;
import org.parley.protocol.MessageType;
import org.parley.protocol.SignedPreKey;

/** Two real devices, each with its own SQLite store, talking through real libsignal. */
class SessionCryptoTest {
    @TempDir
    Path tmp;

    private TestDevice alice;
    private TestDevice bob;

    @BeforeEach
    void setUp() {
        alice = new TestDevice(tmp.resolve("alice"), "aaaaaaaa-0000-4000-8000-000000000001", 1, 5);
        bob = new TestDevice(tmp.resolve("bob"), "bbbbbbbb-0000-4000-8000-000000000002", 1, 5);
    }

    @AfterEach
    void tearDown() {
        alice.close();
        bob.close();
    }

    private EncryptedMessage send(TestDevice from, TestDevice to, String text) {
        return from.crypto.encrypt(to.address(), text.getBytes(UTF_8));
    }

    private String receive(TestDevice at, TestDevice from, EncryptedMessage message) throws DecryptionException {
        return new String(at.crypto.decrypt(from.address(), message.type(), message.content()), UTF_8);
    }

    @Test
    void firstMessage_afterBundle_isPreKeyAndDecrypts() throws Exception {
        alice.crypto.startSession(bob.accountId, bob.fetchBundle());

        EncryptedMessage first = send(alice, bob, "hello bob");

        assertEquals(MessageType.PREKEY, first.type());
        assertEquals(bob.state.protocolStore().getLocalRegistrationId(), first.registrationId());
        assertEquals("hello bob", receive(bob, alice, first));
    }

    @Test
    void conversation_bothWays_decryptsAndSwitchesToSignalMessages() throws Exception {
        alice.crypto.startSession(bob.accountId, bob.fetchBundle());
        assertEquals("a1", receive(bob, alice, send(alice, bob, "a1")));

        EncryptedMessage reply = send(bob, alice, "b1");
        assertEquals(MessageType.SIGNAL, reply.type());
        assertEquals("b1", receive(alice, bob, reply));

        EncryptedMessage next = send(alice, bob, "a2");
        assertEquals(MessageType.SIGNAL, next.type());
        assertEquals("a2", receive(bob, alice, next));
        assertEquals("b2", receive(alice, bob, send(bob, alice, "b2")));
    }

    @Test
    void firstMessage_consumesBothOneTimeKeysOfRecipient() throws Exception {
        int ecBefore = bob.state.protocolStore().countOneTimePreKeys();
        int kyberBefore = bob.state.protocolStore().countOneTimeKyberPreKeys();
        alice.crypto.startSession(bob.accountId, bob.fetchBundle());

        receive(bob, alice, send(alice, bob, "hi"));

        assertEquals(ecBefore - 1, bob.state.protocolStore().countOneTimePreKeys());
        assertEquals(kyberBefore - 1, bob.state.protocolStore().countOneTimeKyberPreKeys());
    }

    @Test
    void messages_outOfOrder_allDecrypt() throws Exception {
        alice.crypto.startSession(bob.accountId, bob.fetchBundle());
        EncryptedMessage m1 = send(alice, bob, "one");
        EncryptedMessage m2 = send(alice, bob, "two");
        EncryptedMessage m3 = send(alice, bob, "three");

        assertEquals("three", receive(bob, alice, m3));
        assertEquals("one", receive(bob, alice, m1));
        assertEquals("two", receive(bob, alice, m2));
    }

    @Test
    void sameCiphertext_decryptedTwice_failsAsDuplicate() throws Exception {
        alice.crypto.startSession(bob.accountId, bob.fetchBundle());
        receive(bob, alice, send(alice, bob, "first"));
        EncryptedMessage reply = send(bob, alice, "reply");
        receive(alice, bob, reply);

        DecryptionException e = assertThrows(DecryptionException.class, () -> receive(alice, bob, reply));

        assertEquals(DecryptionException.Reason.DUPLICATE, e.reason());
        // The failed attempt left the session usable.
        assertEquals("again", receive(bob, alice, send(alice, bob, "again")));
    }

    @Test
    void sessions_survive_reopeningBothStores() throws Exception {
        alice.crypto.startSession(bob.accountId, bob.fetchBundle());
        receive(bob, alice, send(alice, bob, "before"));

        alice.reopen();
        bob.reopen();

        assertEquals("after", receive(alice, bob, send(bob, alice, "after")));
        assertEquals("and back", receive(bob, alice, send(alice, bob, "and back")));
    }

    @Test
    void bundle_withoutOneTimeKeys_usesLastResortKyberKey() throws Exception {
        try (TestDevice carol = new TestDevice(tmp.resolve("carol"), "cccccccc-0000-4000-8000-000000000003", 1, 0)) {
            DeviceBundle bundle = carol.fetchBundle();
            assertEquals(null, bundle.preKey());
            alice.crypto.startSession(carol.accountId, bundle);

            assertEquals("hi carol", receive(carol, alice, send(alice, carol, "hi carol")));
            // The last-resort key stays for the next sender.
            assertTrue(carol.state.protocolStore().containsKyberPreKey(bundle.pqPreKey().keyId()));
        }
    }

    @Test
    void encrypts_insideRolledBackTransaction_leaveSessionUnchanged() throws Exception {
        alice.crypto.startSession(bob.accountId, bob.fetchBundle());
        assertEquals("first", receive(bob, alice, send(alice, bob, "first")));
        byte[] before = alice.state.protocolStore().loadSession(bob.address()).serialize();

        // As a send does: every encrypt of one send in one transaction, all rolled back by a failure.
        assertThrows(IllegalStateException.class, () -> alice.state.database().transaction(c -> {
            send(alice, bob, "never sent 1");
            send(alice, bob, "never sent 2");
            throw new IllegalStateException("send failed before the ciphertexts left");
        }));

        assertArrayEquals(before, alice.state.protocolStore().loadSession(bob.address()).serialize());
        assertEquals("second", receive(bob, alice, send(alice, bob, "second")));
    }

    @Test
    void encrypt_registrationId_isTheRecipientsInBothDirections() throws Exception {
        alice.crypto.startSession(bob.accountId, bob.fetchBundle());
        int aliceId = alice.state.protocolStore().getLocalRegistrationId();
        int bobId = bob.state.protocolStore().getLocalRegistrationId();
        for (int i = 0; i < 3; i++) {
            EncryptedMessage toBob = send(alice, bob, "to bob " + i);
            assertEquals(bobId, toBob.registrationId());
            assertEquals("to bob " + i, receive(bob, alice, toBob));
            EncryptedMessage toAlice = send(bob, alice, "to alice " + i);
            assertEquals(MessageType.SIGNAL, toAlice.type());
            assertEquals(aliceId, toAlice.registrationId());
            assertEquals("to alice " + i, receive(alice, bob, toAlice));
        }
    }

    @Test
    void encrypts_insideOneTransaction_commitTogether() throws Exception {
        alice.crypto.startSession(bob.accountId, bob.fetchBundle());

        var messages = alice.state.database().sql(c -> java.util.List.of(
                send(alice, bob, "one"), send(alice, bob, "two"), send(alice, bob, "three")));

        for (EncryptedMessage m : messages) {
            assertEquals(bob.state.protocolStore().getLocalRegistrationId(), m.registrationId());
        }
        assertEquals("one", receive(bob, alice, messages.get(0)));
        assertEquals("two", receive(bob, alice, messages.get(1)));
        assertEquals("three", receive(bob, alice, messages.get(2)));
    }

    @Test
    void decrypt_insideRolledBackTransaction_leavesNoTrace() throws Exception {
        alice.crypto.startSession(bob.accountId, bob.fetchBundle());
        EncryptedMessage first = send(alice, bob, "first");

        assertThrows(IllegalStateException.class, () -> bob.state.database().transaction(c -> {
            receive(bob, alice, first);
            throw new IllegalStateException("crash before commit");
        }));

        assertFalse(bob.crypto.hasSession(alice.address()));
        assertEquals("first", receive(bob, alice, first));
    }

    @Test
    void bundle_withForgedSignature_isRefused() {
        DeviceBundle genuine = bob.fetchBundle();
        byte[] forged = genuine.signedPreKey().signature().clone();
        forged[0] ^= 1;
        DeviceBundle bundle = new DeviceBundle(genuine.deviceId(), genuine.registrationId(), genuine.identityKey(),
                new SignedPreKey(genuine.signedPreKey().keyId(), genuine.signedPreKey().publicKey(), forged),
                genuine.preKey(), genuine.pqPreKey());

        assertThrows(ParleyCryptoException.class, () -> alice.crypto.startSession(bob.accountId, bundle));
        assertFalse(alice.crypto.hasSession(bob.address()));
    }

    @Test
    void garbage_ciphertext_failsAsInvalid() throws Exception {
        alice.crypto.startSession(bob.accountId, bob.fetchBundle());
        receive(bob, alice, send(alice, bob, "hi"));

        DecryptionException e = assertThrows(DecryptionException.class,
                () -> bob.crypto.decrypt(alice.address(), MessageType.SIGNAL, new byte[] {1, 2, 3}));

        assertEquals(DecryptionException.Reason.INVALID_MESSAGE, e.reason());
    }

    @Test
    void signalMessage_withoutSession_failsAsNoSession() throws Exception {
        alice.crypto.startSession(bob.accountId, bob.fetchBundle());
        receive(bob, alice, send(alice, bob, "hi"));
        EncryptedMessage reply = send(bob, alice, "reply");
        alice.state.protocolStore().deleteSession(bob.address());

        DecryptionException e = assertThrows(DecryptionException.class, () -> receive(alice, bob, reply));

        assertEquals(DecryptionException.Reason.NO_SESSION, e.reason());
    }

    @Test
    void remoteRegistrationId_afterSession_matchesBundle() {
        DeviceBundle bundle = bob.fetchBundle();
        alice.crypto.startSession(bob.accountId, bundle);

        assertEquals(bundle.registrationId(), alice.crypto.remoteRegistrationId(bob.address()).orElseThrow());
        assertArrayEquals(bundle.identityKey(), alice.state.protocolStore().getIdentity(bob.address()).serialize());
    }
}
