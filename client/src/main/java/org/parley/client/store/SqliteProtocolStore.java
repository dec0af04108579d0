// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.client.store;

import java.time.Clock;
import java.util.List;
import java.util.UUID;
import org.signal.libsignal.protocol.IdentityKey;
import org.signal.libsignal.protocol.IdentityKeyPair;
import org.signal.libsignal.protocol.InvalidKeyIdException;
import org.signal.libsignal.protocol.NoSessionException;
import org.signal.libsignal.protocol.ReusedBaseKeyException;
import org.signal.libsignal.protocol.SignalProtocolAddress;
import org.signal.libsignal.protocol.ecc.ECPublicKey;
import org.signal.libsignal.protocol.groups.state.SenderKeyRecord;
import org.signal.libsignal.protocol.state.KyberPreKeyRecord;
import org.signal.libsignal.protocol.state.PreKeyRecord;
import org.signal.libsignal.protocol.state.SessionRecord;
import org.signal.libsignal.protocol.state.SignalProtocolStore;
import org.signal.libsignal.protocol.state.SignedPreKeyRecord;

/**
 * libsignal's protocol store on the device's SQLite state. Each method is its own transaction unless the
 * caller holds one on the same {@link StateDatabase}, in which case it joins (see
 * {@link StateDatabase#transaction}).
 *
 * <p>Identity trust is per device and on first use: {@link #isTrustedIdentity} accepts an unknown key and
 * the known key, and also a different key, because refusing would only make a reinstalled contact
 * unreachable. A different key is instead recorded by {@link #saveIdentity} as an
 * {@link IdentityKeyChange} for the user interface to report.
 *
 * <p>This class only delegates: libsignal wants one object for all its stores, and each store lives in
 * its own class over the same database.
 */
public final class SqliteProtocolStore implements SignalProtocolStore {
    private final SqliteIdentityStore identities;
    private final KeyIdAllocator keyIds;
    private final SqlitePreKeyStore preKeys;
    private final SqliteSignedPreKeyStore signedPreKeys;
    private final SqliteKyberPreKeyStore kyberPreKeys;
    private final SqliteSessionStore sessions;
    private final SqliteSenderKeyStore senderKeys;
    private final StateDatabase db;

    public SqliteProtocolStore(StateDatabase db, Clock clock) {
        this.db = db;
        this.identities = new SqliteIdentityStore(db, clock);
        this.keyIds = new KeyIdAllocator(db);
        this.preKeys = new SqlitePreKeyStore(db);
        this.signedPreKeys = new SqliteSignedPreKeyStore(db);
        this.kyberPreKeys = new SqliteKyberPreKeyStore(db);
        this.sessions = new SqliteSessionStore(db);
        this.senderKeys = new SqliteSenderKeyStore(db);
    }

    public SqliteProtocolStore(StateDatabase db) {
        this(db, Clock.systemUTC());
    }

    // ---- identities -----------------------------------------------------------------------------

    public boolean hasLocalIdentity() {
        return identities.hasLocalIdentity();
    }

    /**
     * Installs a new identity for this device and forgets every key, session and remote identity that
     * belonged to the previous one: after a re-registration none of them is valid any more.
     */
    public void replaceLocalIdentity(IdentityKeyPair keyPair, int registrationId) {
        identities.replaceLocalIdentity(keyPair, registrationId);
    }

    @Override
    public IdentityKeyPair getIdentityKeyPair() {
        return identities.getIdentityKeyPair();
    }

    @Override
    public int getLocalRegistrationId() {
        return identities.getLocalRegistrationId();
    }

    @Override
    public IdentityChange saveIdentity(SignalProtocolAddress address, IdentityKey identityKey) {
        return identities.saveIdentity(address, identityKey);
    }

    /** Always true: trust on first use, and a changed key is accepted and reported rather than refused. */
    @Override
    public boolean isTrustedIdentity(SignalProtocolAddress address, IdentityKey identityKey, Direction direction) {
        return identities.isTrustedIdentity(address, identityKey, direction);
    }

    @Override
    public IdentityKey getIdentity(SignalProtocolAddress address) {
        return identities.getIdentity(address);
    }

    /** Identity changes not yet reported to the user, oldest first. */
    public List<IdentityKeyChange> unreportedIdentityChanges() {
        return identities.unreportedIdentityChanges();
    }

    public void markIdentityChangesReported(List<IdentityKeyChange> changes) {
        identities.markIdentityChangesReported(changes);
    }

    // ---- key ids --------------------------------------------------------------------------------

    /** Reserves {@code count} fresh ids in {@code space}; ids run from 1 to 0xFFFFFF and then wrap. */
    public List<Integer> allocateKeyIds(KeyIdSpace space, int count) {
        return keyIds.allocate(space, count);
    }

    // ---- one-time EC prekeys --------------------------------------------------------------------

    @Override
    public PreKeyRecord loadPreKey(int preKeyId) throws InvalidKeyIdException {
        return preKeys.loadPreKey(preKeyId);
    }

    @Override
    public void storePreKey(int preKeyId, PreKeyRecord record) {
        preKeys.storePreKey(preKeyId, record);
    }

    @Override
    public boolean containsPreKey(int preKeyId) {
        return preKeys.containsPreKey(preKeyId);
    }

    @Override
    public void removePreKey(int preKeyId) {
        preKeys.removePreKey(preKeyId);
    }

    /** One-time prekeys this device still holds locally, for diagnostics and tests. */
    public int countOneTimePreKeys() {
        return preKeys.count();
    }

    // ---- signed EC prekeys ----------------------------------------------------------------------

    @Override
    public SignedPreKeyRecord loadSignedPreKey(int signedPreKeyId) throws InvalidKeyIdException {
        return signedPreKeys.loadSignedPreKey(signedPreKeyId);
    }

    @Override
    public List<SignedPreKeyRecord> loadSignedPreKeys() {
        return signedPreKeys.loadSignedPreKeys();
    }

    @Override
    public void storeSignedPreKey(int signedPreKeyId, SignedPreKeyRecord record) {
        signedPreKeys.storeSignedPreKey(signedPreKeyId, record);
    }

    @Override
    public boolean containsSignedPreKey(int signedPreKeyId) {
        return signedPreKeys.containsSignedPreKey(signedPreKeyId);
    }

    @Override
    public void removeSignedPreKey(int signedPreKeyId) {
        signedPreKeys.removeSignedPreKey(signedPreKeyId);
    }

    // ---- Kyber prekeys --------------------------------------------------------------------------

    @Override
    public KyberPreKeyRecord loadKyberPreKey(int kyberPreKeyId) throws InvalidKeyIdException {
        return kyberPreKeys.loadKyberPreKey(kyberPreKeyId);
    }

    @Override
    public List<KyberPreKeyRecord> loadKyberPreKeys() {
        return kyberPreKeys.loadKyberPreKeys();
    }

    /** Stores a one-time Kyber prekey, which {@link #markKyberPreKeyUsed} deletes. */
    @Override
    public void storeKyberPreKey(int kyberPreKeyId, KyberPreKeyRecord record) {
        kyberPreKeys.storeKyberPreKey(kyberPreKeyId, record);
    }

    /** Every last-resort Kyber prekey held (the current one and replaced ones in their grace period), by id. */
    public List<KyberPreKeyRecord> loadLastResortKyberPreKeys() {
        return kyberPreKeys.loadLastResort();
    }

    /** Deletes a replaced last-resort Kyber prekey. */
    public void removeLastResortKyberPreKey(int kyberPreKeyId) {
        kyberPreKeys.removeLastResort(kyberPreKeyId);
    }

    /** The id of a meta value (e.g. the signed prekey the server has), or empty when never set. */
    public java.util.OptionalInt metaValue(String key) {
        return db.sql(c -> {
            try (java.sql.PreparedStatement ps = db.prepare("SELECT value FROM meta WHERE key = ?")) {
                ps.setString(1, key);
                try (java.sql.ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? java.util.OptionalInt.of(rs.getInt(1)) : java.util.OptionalInt.empty();
                }
            }
        });
    }

    public void setMetaValue(String key, int value) {
        db.update(c -> {
            try (java.sql.PreparedStatement ps = db.prepare(
                    "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value")) {
                ps.setString(1, key);
                ps.setInt(2, value);
                ps.executeUpdate();
            }
        });
    }

    /** Stores the last-resort Kyber prekey, which survives use. */
    public void storeLastResortKyberPreKey(int kyberPreKeyId, KyberPreKeyRecord record) {
        kyberPreKeys.storeLastResort(kyberPreKeyId, record);
    }

    @Override
    public boolean containsKyberPreKey(int kyberPreKeyId) {
        return kyberPreKeys.containsKyberPreKey(kyberPreKeyId);
    }

    /**
     * A one-time key is deleted. The last-resort key is kept, but each (key, signed prekey, base key)
     * combination may be used once: a second use means a replayed first message.
     */
    @Override
    public void markKyberPreKeyUsed(int kyberPreKeyId, int signedPreKeyId, ECPublicKey baseKey)
            throws ReusedBaseKeyException {
        kyberPreKeys.markKyberPreKeyUsed(kyberPreKeyId, signedPreKeyId, baseKey);
    }

    /** One-time (not last-resort) Kyber prekeys this device still holds locally, for diagnostics and tests. */
    public int countOneTimeKyberPreKeys() {
        return kyberPreKeys.countOneTime();
    }

    // ---- sessions -------------------------------------------------------------------------------

    @Override
    public SessionRecord loadSession(SignalProtocolAddress address) {
        return sessions.loadSession(address);
    }

    @Override
    public List<SessionRecord> loadExistingSessions(List<SignalProtocolAddress> addresses) throws NoSessionException {
        return sessions.loadExistingSessions(addresses);
    }

    /** libsignal's meaning: the devices other than the primary (id 1) that we hold a session with. */
    @Override
    public List<Integer> getSubDeviceSessions(String name) {
        return sessions.getSubDeviceSessions(name);
    }

    /** Every device of {@code name} (an account id) that we hold a session with, ascending. */
    public List<Integer> deviceIdsWithSession(String name) {
        return sessions.deviceIdsWithSession(name);
    }

    @Override
    public void storeSession(SignalProtocolAddress address, SessionRecord record) {
        sessions.storeSession(address, record);
    }

    /** True only for a session that can encrypt; an archived-only record does not count. */
    @Override
    public boolean containsSession(SignalProtocolAddress address) {
        return sessions.containsSession(address);
    }

    @Override
    public void deleteSession(SignalProtocolAddress address) {
        sessions.deleteSession(address);
    }

    @Override
    public void deleteAllSessions(String name) {
        sessions.deleteAllSessions(name);
    }

    // ---- sender keys (unused by Parley, required by the interface) --------------------------------

    @Override
    public void storeSenderKey(SignalProtocolAddress sender, UUID distributionId, SenderKeyRecord record) {
        senderKeys.storeSenderKey(sender, distributionId, record);
    }

    @Override
    public SenderKeyRecord loadSenderKey(SignalProtocolAddress sender, UUID distributionId) {
        return senderKeys.loadSenderKey(sender, distributionId);
    }
}
