// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.client.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.client.error.ParleyStateException;
import org.signal.libsignal.protocol.IdentityKey;
import org.signal.libsignal.protocol.IdentityKeyPair;
import org.signal.libsignal.protocol.InvalidKeyIdException;
import org.signal.libsignal.protocol.NoSessionException;
import org.signal.libsignal.protocol.ReusedBaseKeyException;
import org.signal.libsignal.protocol.SignalProtocolAddress;
import org.signal.libsignal.protocol.ecc.ECKeyPair;
import org.signal.libsignal.protocol.ecc.ECPublicKey;
import org.signal.libsignal.protocol.groups.GroupSessionBuilder;
import org.signal.libsignal.protocol.kem.KEMKeyPair;
import org.signal.libsignal.protocol.kem.KEMKeyType;
import org.signal.libsignal.protocol.state.IdentityKeyStore;
import org.signal.libsignal.protocol.state.KyberPreKeyRecord;
import org.signal.libsignal.protocol.state.PreKeyRecord;
import org.signal.libsignal.protocol.state.SessionRecord;
import org.signal.libsignal.protocol.state.SignedPreKeyRecord;

class SqliteProtocolStoreTest {
    @TempDir
    Path tmp;

    private LocalState state;
    private SqliteProtocolStore store;
    private final SignalProtocolAddress bob = new SignalProtocolAddress("bob-account", 1);

    @BeforeEach
    void setUp() {
        state = LocalState.open(tmp);
        store = state.protocolStore();
    }

    @AfterEach
    void tearDown() {
        state.close();
    }

    private static IdentityKey newIdentity() {
        return IdentityKeyPair.generate().getPublicKey();
    }

    @Test
    void localIdentity_beforeRegistration_isMissing() {
        assertFalse(store.hasLocalIdentity());
        assertThrows(ParleyStateException.class, store::getIdentityKeyPair);
    }

    @Test
    void localIdentity_replaced_survivesReopenAndClearsOldState() {
        IdentityKeyPair first = IdentityKeyPair.generate();
        store.replaceLocalIdentity(first, 42);
        store.storePreKey(1, new PreKeyRecord(1, ECKeyPair.generate()));
        store.saveIdentity(bob, newIdentity());

        IdentityKeyPair second = IdentityKeyPair.generate();
        store.replaceLocalIdentity(second, 43);
        state.close();
        state = LocalState.open(tmp);
        store = state.protocolStore();

        assertEquals(second.getPublicKey(), store.getIdentityKeyPair().getPublicKey());
        assertEquals(43, store.getLocalRegistrationId());
        assertFalse(store.containsPreKey(1));
        assertNull(store.getIdentity(bob));
    }

    @Test
    void identity_firstSeen_isTrustedAndNew() {
        IdentityKey key = newIdentity();

        assertTrue(store.isTrustedIdentity(bob, key, IdentityKeyStore.Direction.SENDING));
        assertEquals(IdentityKeyStore.IdentityChange.NEW_OR_UNCHANGED, store.saveIdentity(bob, key));
        assertEquals(key, store.getIdentity(bob));
        assertTrue(store.unreportedIdentityChanges().isEmpty());
    }

    @Test
    void identity_sameKeyAgain_isUnchanged() {
        IdentityKey key = newIdentity();
        store.saveIdentity(bob, key);

        assertEquals(IdentityKeyStore.IdentityChange.NEW_OR_UNCHANGED, store.saveIdentity(bob, key));
        assertTrue(store.isTrustedIdentity(bob, key, IdentityKeyStore.Direction.RECEIVING));
        assertTrue(store.unreportedIdentityChanges().isEmpty());
    }

    @Test
    void identity_changed_isSavedTrustedAndReportedOnce() {
        IdentityKey oldKey = newIdentity();
        IdentityKey newKey = newIdentity();
        store.saveIdentity(bob, oldKey);

        assertTrue(store.isTrustedIdentity(bob, newKey, IdentityKeyStore.Direction.SENDING));
        assertEquals(IdentityKeyStore.IdentityChange.REPLACED_EXISTING, store.saveIdentity(bob, newKey));

        assertEquals(newKey, store.getIdentity(bob));
        List<IdentityKeyChange> changes = store.unreportedIdentityChanges();
        assertEquals(1, changes.size());
        IdentityKeyChange change = changes.getFirst();
        assertEquals("bob-account", change.name());
        assertEquals(1, change.deviceId());
        assertEquals(oldKey, change.oldKey());
        assertEquals(newKey, change.newKey());

        store.markIdentityChangesReported(changes);
        assertTrue(store.unreportedIdentityChanges().isEmpty());
    }

    @Test
    void identity_isPerDevice() {
        SignalProtocolAddress bobSecond = new SignalProtocolAddress("bob-account", 2);
        store.saveIdentity(bob, newIdentity());

        assertEquals(IdentityKeyStore.IdentityChange.NEW_OR_UNCHANGED, store.saveIdentity(bobSecond, newIdentity()));
        assertTrue(store.unreportedIdentityChanges().isEmpty());
    }

    @Test
    void oneTimeKyberKey_markedUsed_isDeleted() throws Exception {
        IdentityKeyPair identity = IdentityKeyPair.generate();
        store.replaceLocalIdentity(identity, 1);
        store.storeKyberPreKey(7, kyber(identity, 7));

        store.markKyberPreKeyUsed(7, 1, ECKeyPair.generate().getPublicKey());

        assertFalse(store.containsKyberPreKey(7));
        assertThrows(InvalidKeyIdException.class, () -> store.loadKyberPreKey(7));
    }

    @Test
    void lastResortKyberKey_markedUsed_isKeptButRefusesSameBaseKeyTwice() throws Exception {
        IdentityKeyPair identity = IdentityKeyPair.generate();
        store.replaceLocalIdentity(identity, 1);
        store.storeLastResortKyberPreKey(9, kyber(identity, 9));
        ECPublicKey baseKey = ECKeyPair.generate().getPublicKey();

        store.markKyberPreKeyUsed(9, 1, baseKey);
        store.markKyberPreKeyUsed(9, 1, ECKeyPair.generate().getPublicKey());

        assertTrue(store.containsKyberPreKey(9));
        assertEquals(0, store.countOneTimeKyberPreKeys());
        assertThrows(ReusedBaseKeyException.class, () -> store.markKyberPreKeyUsed(9, 1, baseKey));
    }

    @Test
    void keyIds_allocated_areSequentialPerSpaceAndWrap() {
        assertEquals(List.of(1, 2, 3), store.allocateKeyIds(KeyIdSpace.PREKEY, 3));
        assertEquals(List.of(4, 5), store.allocateKeyIds(KeyIdSpace.PREKEY, 2));
        assertEquals(List.of(1), store.allocateKeyIds(KeyIdSpace.KYBER_PREKEY, 1));

        state.database().update(c -> c.createStatement().executeUpdate(
                "UPDATE meta SET value = " + KeyIdSpace.MAX_ID + " WHERE key = 'next_prekey_id'"));
        assertEquals(List.of(KeyIdSpace.MAX_ID, 1), store.allocateKeyIds(KeyIdSpace.PREKEY, 2));
    }

    @Test
    void sessions_storedPerDevice_listAndDelete() {
        SessionRecord empty = new SessionRecord();
        store.storeSession(new SignalProtocolAddress("acc", 1), empty);
        store.storeSession(new SignalProtocolAddress("acc", 3), empty);
        store.storeSession(new SignalProtocolAddress("other", 1), empty);

        assertEquals(List.of(1, 3), store.deviceIdsWithSession("acc"));
        assertEquals(List.of(3), store.getSubDeviceSessions("acc"));
        // A fresh record has no sender chain, so it cannot encrypt and does not count as a session.
        assertFalse(store.containsSession(new SignalProtocolAddress("acc", 1)));

        store.deleteSession(new SignalProtocolAddress("acc", 1));
        assertEquals(List.of(3), store.deviceIdsWithSession("acc"));
        store.deleteAllSessions("acc");
        assertEquals(List.of(), store.deviceIdsWithSession("acc"));
        assertEquals(List.of(1), store.deviceIdsWithSession("other"));
    }

    @Test
    void localIdentity_replacedInRolledBackTransaction_keepsThePreviousOne() {
        IdentityKeyPair first = IdentityKeyPair.generate();
        store.replaceLocalIdentity(first, 1);
        assertEquals(1, store.getLocalRegistrationId()); // cached outside a transaction

        assertThrows(IllegalStateException.class, () -> state.database().transaction(c -> {
            store.replaceLocalIdentity(IdentityKeyPair.generate(), 2);
            assertEquals(2, store.getLocalRegistrationId()); // the caller's transaction sees its own write
            throw new IllegalStateException("roll back");
        }));

        assertEquals(1, store.getLocalRegistrationId());
        assertEquals(first.getPublicKey(), store.getIdentityKeyPair().getPublicKey());
    }

    @Test
    void preKeys_storedLoadedAndRemoved() throws Exception {
        PreKeyRecord record = new PreKeyRecord(5, ECKeyPair.generate());
        store.storePreKey(5, record);

        assertTrue(store.containsPreKey(5));
        assertArrayEquals(record.serialize(), store.loadPreKey(5).serialize());
        assertEquals(1, store.countOneTimePreKeys());

        store.removePreKey(5);
        assertFalse(store.containsPreKey(5));
        assertThrows(InvalidKeyIdException.class, () -> store.loadPreKey(5));
        assertEquals(0, store.countOneTimePreKeys());
    }

    @Test
    void signedPreKeys_listedInIdOrderAndRemoved() throws Exception {
        IdentityKeyPair identity = IdentityKeyPair.generate();
        store.storeSignedPreKey(8, signed(identity, 8));
        store.storeSignedPreKey(3, signed(identity, 3));

        assertTrue(store.containsSignedPreKey(8));
        assertEquals(8, store.loadSignedPreKey(8).getId());
        assertEquals(List.of(3, 8), store.loadSignedPreKeys().stream().map(SignedPreKeyRecord::getId).toList());

        store.removeSignedPreKey(8);
        assertFalse(store.containsSignedPreKey(8));
        assertThrows(InvalidKeyIdException.class, () -> store.loadSignedPreKey(8));
    }

    @Test
    void kyberPreKeys_listedInIdOrderWithLastResortCountedApart() throws Exception {
        IdentityKeyPair identity = IdentityKeyPair.generate();
        store.storeLastResortKyberPreKey(4, kyber(identity, 4));
        store.storeKyberPreKey(2, kyber(identity, 2));

        assertEquals(List.of(2, 4), store.loadKyberPreKeys().stream().map(KyberPreKeyRecord::getId).toList());
        assertEquals(4, store.loadKyberPreKey(4).getId());
        assertEquals(1, store.countOneTimeKyberPreKeys());
        // An unknown id is not an error: there is nothing to delete or to guard against replay.
        store.markKyberPreKeyUsed(99, 1, ECKeyPair.generate().getPublicKey());
    }

    @Test
    void sessions_loadExisting_requiresEveryOne() throws Exception {
        SignalProtocolAddress carol = new SignalProtocolAddress("carol-account", 1);
        store.storeSession(bob, new SessionRecord());

        assertNotNull(store.loadSession(bob));
        assertNull(store.loadSession(carol));
        assertEquals(1, store.loadExistingSessions(List.of(bob)).size());
        assertThrows(NoSessionException.class, () -> store.loadExistingSessions(List.of(bob, carol)));
    }

    @Test
    void sessions_writtenInRolledBackTransaction_areGone() {
        assertThrows(IllegalStateException.class, () -> state.database().transaction(c -> {
            store.storeSession(bob, new SessionRecord());
            assertNotNull(store.loadSession(bob));
            throw new IllegalStateException("roll back");
        }));

        assertNull(store.loadSession(bob));
    }

    @Test
    void senderKeys_storedPerSenderAndDistribution() {
        UUID distribution = UUID.randomUUID();
        assertNull(store.loadSenderKey(bob, distribution));

        new GroupSessionBuilder(store).create(bob, distribution);

        assertNotNull(store.loadSenderKey(bob, distribution));
        assertNull(store.loadSenderKey(bob, UUID.randomUUID()));
        assertNull(store.loadSenderKey(new SignalProtocolAddress("bob-account", 2), distribution));
    }

    private static SignedPreKeyRecord signed(IdentityKeyPair identity, int id) {
        ECKeyPair pair = ECKeyPair.generate();
        return new SignedPreKeyRecord(id, 0, pair, identity.getPrivateKey().calculateSignature(pair.getPublicKey().serialize()));
    }

    private static KyberPreKeyRecord kyber(IdentityKeyPair identity, int id) {
        KEMKeyPair pair = KEMKeyPair.generate(KEMKeyType.KYBER_1024);
        return new KyberPreKeyRecord(id, 0, pair, identity.getPrivateKey().calculateSignature(pair.getPublicKey().serialize()));
    }
}
