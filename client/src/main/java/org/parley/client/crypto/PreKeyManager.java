// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.client.crypto;

import java.util.ArrayList;
import java.util.List;
import org.parley.client.store.KeyIdSpace;
import org.parley.client.store.SqliteProtocolStore;
import org.parley.client.store.StateDatabase;
import org.parley.protocol.DeviceRegistration;
import org.parley.protocol.KeyUploadRequest;
import org.parley.protocol.PreKey;
import org.parley.protocol.SignedPreKey;
import org.signal.libsignal.protocol.IdentityKeyPair;
import org.signal.libsignal.protocol.state.KyberPreKeyRecord;
import org.signal.libsignal.protocol.state.PreKeyRecord;
import org.signal.libsignal.protocol.state.SignedPreKeyRecord;

/**
 * Creates this device's keys and keeps the private halves in the store. Every key is stored locally, in
 * one transaction with its id allocation, before its public half is handed out for upload, so that a
 * sender can never use a key this device does not hold.
 */
public final class PreKeyManager {
    private final StateDatabase db;
    private final SqliteProtocolStore store;
    private final KeyGenerator generator;

    public PreKeyManager(StateDatabase db, SqliteProtocolStore store, KeyGenerator generator) {
        this.db = db;
        this.store = store;
        this.generator = generator;
    }

    /** Fresh identity, signed prekey and last-resort Kyber key, in memory only (see {@link #install}). */
    public NewDeviceKeys generateDevice() {
        // Ids of a previous registration are forgotten by install(), but the counters keep running so
        // that ids never repeat within one home.
        int signedId = store.allocateKeyIds(KeyIdSpace.SIGNED_PREKEY, 1).getFirst();
        int kyberId = store.allocateKeyIds(KeyIdSpace.KYBER_PREKEY, 1).getFirst();
        return generator.newDevice(signedId, kyberId);
    }

    /** Keys for a device linked to an existing account: its identity is the account's, the rest is new. */
    public NewDeviceKeys generateLinkedDevice(IdentityKeyPair accountIdentity) {
        int signedId = store.allocateKeyIds(KeyIdSpace.SIGNED_PREKEY, 1).getFirst();
        int kyberId = store.allocateKeyIds(KeyIdSpace.KYBER_PREKEY, 1).getFirst();
        return generator.newDevice(accountIdentity, signedId, kyberId);
    }

    /** Replaces this device's identity (and everything tied to the old one) with {@code keys}. */
    public void install(NewDeviceKeys keys) {
        db.update(c -> {
            store.replaceLocalIdentity(keys.identityKeyPair(), keys.registrationId());
            store.storeSignedPreKey(keys.signedPreKey().getId(), keys.signedPreKey());
            store.storeLastResortKyberPreKey(keys.lastResortKyberPreKey().getId(), keys.lastResortKyberPreKey());
        });
    }

    /** The public part of a new device as the registration request carries it. */
    public static DeviceRegistration registration(NewDeviceKeys keys, String password) {
        return new DeviceRegistration(
                keys.registrationId(),
                password,
                keys.identityKeyPair().getPublicKey().serialize(),
                WireKeys.signedPreKey(keys.signedPreKey()),
                WireKeys.kyberPreKey(keys.lastResortKyberPreKey()));
    }

    /**
     * Generates a new signed EC prekey and a new last-resort Kyber prekey and stores them next to the
     * current ones (which stay, so sessions senders start from an older bundle still work), and
     * returns the upload request that makes them the ones the server hands out.
     */
    public KeyUploadRequest createSignedKeys() {
        IdentityKeyPair identity = store.getIdentityKeyPair();
        return db.sql(c -> {
            int signedId = store.allocateKeyIds(KeyIdSpace.SIGNED_PREKEY, 1).getFirst();
            int kyberId = store.allocateKeyIds(KeyIdSpace.KYBER_PREKEY, 1).getFirst();
            SignedPreKeyRecord signed = generator.signedPreKey(identity, signedId);
            KyberPreKeyRecord lastResort = generator.kyberPreKey(identity, kyberId);
            store.storeSignedPreKey(signedId, signed);
            store.storeLastResortKyberPreKey(kyberId, lastResort);
            return signedKeysUpload(signed, lastResort);
        });
    }

    /** The upload request that makes {@code signed} and {@code lastResort} this device's current keys on the server. */
    public static KeyUploadRequest signedKeysUpload(SignedPreKeyRecord signed, KyberPreKeyRecord lastResort) {
        return new KeyUploadRequest(List.of(), List.of(), WireKeys.signedPreKey(signed), WireKeys.kyberPreKey(lastResort));
    }

    /**
     * Generates and stores {@code ecCount} one-time EC and {@code kyberCount} one-time Kyber prekeys and
     * returns the upload request for them (at most {@code Limits.MAX_KEYS_PER_UPLOAD} of each).
     */
    public KeyUploadRequest createOneTimeKeys(int ecCount, int kyberCount) {
        IdentityKeyPair identity = store.getIdentityKeyPair();
        return db.sql(c -> {
            List<PreKey> preKeys = new ArrayList<>(ecCount);
            for (int id : store.allocateKeyIds(KeyIdSpace.PREKEY, ecCount)) {
                PreKeyRecord record = generator.oneTimePreKey(id);
                store.storePreKey(id, record);
                preKeys.add(WireKeys.preKey(record));
            }
            List<SignedPreKey> kyberKeys = new ArrayList<>(kyberCount);
            for (int id : store.allocateKeyIds(KeyIdSpace.KYBER_PREKEY, kyberCount)) {
                KyberPreKeyRecord record = generator.kyberPreKey(identity, id);
                store.storeKyberPreKey(id, record);
                kyberKeys.add(WireKeys.kyberPreKey(record));
            }
            return new KeyUploadRequest(preKeys, kyberKeys, null, null);
        });
    }
}
