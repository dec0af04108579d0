// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.client.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.parley.client.ParleyStateException;
import org.signal.libsignal.protocol.IdentityKey;
import org.signal.libsignal.protocol.IdentityKeyPair;
import org.signal.libsignal.protocol.InvalidKeyException;
import org.signal.libsignal.protocol.InvalidKeyIdException;
import org.signal.libsignal.protocol.InvalidMessageException;
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
 */
public final class SqliteProtocolStore implements SignalProtocolStore {
    private final StateDatabase db;
    private final Clock clock;
    private volatile LocalIdentity cachedIdentity;

    private record LocalIdentity(IdentityKeyPair keyPair, int registrationId) {}

    public SqliteProtocolStore(StateDatabase db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    public SqliteProtocolStore(StateDatabase db) {
        this(db, Clock.systemUTC());
    }

    // ---- local identity -------------------------------------------------------------------------

    public boolean hasLocalIdentity() {
        return loadLocalIdentity() != null;
    }

    /**
     * Installs a new identity for this device and forgets every key, session and remote identity that
     * belonged to the previous one: after a re-registration none of them is valid any more.
     */
    public void replaceLocalIdentity(IdentityKeyPair keyPair, int registrationId) {
        db.update(c -> {
            for (String table : List.of("prekeys", "signed_prekeys", "kyber_prekeys", "kyber_base_keys_used",
                    "sessions", "remote_identities", "identity_changes", "sender_keys", "local_identity")) {
                try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + table)) {
                    ps.executeUpdate();
                }
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO local_identity (id, identity_key_pair, registration_id) VALUES (1, ?, ?)")) {
                ps.setBytes(1, keyPair.serialize());
                ps.setInt(2, registrationId);
                ps.executeUpdate();
            }
        });
        // Reloaded on next use rather than set here: the caller's transaction may still roll back.
        cachedIdentity = null;
    }

    @Override
    public IdentityKeyPair getIdentityKeyPair() {
        return requireLocalIdentity().keyPair();
    }

    @Override
    public int getLocalRegistrationId() {
        return requireLocalIdentity().registrationId();
    }

    private LocalIdentity requireLocalIdentity() {
        LocalIdentity identity = loadLocalIdentity();
        if (identity == null) {
            throw new ParleyStateException("this device has no identity key yet; register it first");
        }
        return identity;
    }

    private LocalIdentity loadLocalIdentity() {
        LocalIdentity cached = cachedIdentity;
        if (cached != null) {
            return cached;
        }
        LocalIdentity loaded = db.sql(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT identity_key_pair, registration_id FROM local_identity WHERE id = 1");
                    ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return null;
                }
                try {
                    return new LocalIdentity(new IdentityKeyPair(rs.getBytes(1)), rs.getInt(2));
                } catch (InvalidKeyException e) {
                    throw new ParleyStateException("the stored identity key is corrupt", e);
                }
            }
        });
        if (!db.inTransaction()) {
            cachedIdentity = loaded; // only committed state is cached
        }
        return loaded;
    }

    // ---- remote identities ----------------------------------------------------------------------

    @Override
    public IdentityChange saveIdentity(SignalProtocolAddress address, IdentityKey identityKey) {
        return db.sql(c -> {
            IdentityKey existing = loadIdentity(c, address);
            long now = clock.millis();
            if (existing != null && existing.equals(identityKey)) {
                return IdentityChange.NEW_OR_UNCHANGED;
            }
            try (PreparedStatement ps = c.prepareStatement("""
                    INSERT INTO remote_identities (name, device_id, identity_key, updated_at) VALUES (?, ?, ?, ?)
                    ON CONFLICT (name, device_id) DO UPDATE SET identity_key = excluded.identity_key,
                                                                updated_at = excluded.updated_at""")) {
                ps.setString(1, address.getName());
                ps.setInt(2, address.getDeviceId());
                ps.setBytes(3, identityKey.serialize());
                ps.setLong(4, now);
                ps.executeUpdate();
            }
            if (existing == null) {
                return IdentityChange.NEW_OR_UNCHANGED;
            }
            try (PreparedStatement ps = c.prepareStatement("""
                    INSERT INTO identity_changes (name, device_id, old_key, new_key, changed_at)
                    VALUES (?, ?, ?, ?, ?)""")) {
                ps.setString(1, address.getName());
                ps.setInt(2, address.getDeviceId());
                ps.setBytes(3, existing.serialize());
                ps.setBytes(4, identityKey.serialize());
                ps.setLong(5, now);
                ps.executeUpdate();
            }
            return IdentityChange.REPLACED_EXISTING;
        });
    }

    /** Always true: trust on first use, and a changed key is accepted and reported rather than refused. */
    @Override
    public boolean isTrustedIdentity(SignalProtocolAddress address, IdentityKey identityKey, Direction direction) {
        return true;
    }

    @Override
    public IdentityKey getIdentity(SignalProtocolAddress address) {
        return db.sql(c -> loadIdentity(c, address));
    }

    private static IdentityKey loadIdentity(Connection c, SignalProtocolAddress address) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT identity_key FROM remote_identities WHERE name = ? AND device_id = ?")) {
            ps.setString(1, address.getName());
            ps.setInt(2, address.getDeviceId());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? identityKey(rs.getBytes(1)) : null;
            }
        }
    }

    /** Identity changes not yet reported to the user, oldest first. */
    public List<IdentityKeyChange> unreportedIdentityChanges() {
        return db.sql(c -> {
            List<IdentityKeyChange> changes = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("""
                    SELECT id, name, device_id, old_key, new_key, changed_at FROM identity_changes
                    WHERE reported = 0 ORDER BY id""");
                    ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    changes.add(new IdentityKeyChange(rs.getLong(1), rs.getString(2), rs.getInt(3),
                            identityKey(rs.getBytes(4)), identityKey(rs.getBytes(5)), rs.getLong(6)));
                }
            }
            return changes;
        });
    }

    public void markIdentityChangesReported(List<IdentityKeyChange> changes) {
        db.update(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE identity_changes SET reported = 1 WHERE id = ?")) {
                for (IdentityKeyChange change : changes) {
                    ps.setLong(1, change.id());
                    ps.executeUpdate();
                }
            }
        });
    }

    private static IdentityKey identityKey(byte[] serialized) {
        try {
            return new IdentityKey(serialized);
        } catch (InvalidKeyException e) {
            throw new ParleyStateException("a stored identity key is corrupt", e);
        }
    }

    // ---- key ids --------------------------------------------------------------------------------

    /** Reserves {@code count} fresh ids in {@code space}; ids run from 1 to 0xFFFFFF and then wrap. */
    public List<Integer> allocateKeyIds(KeyIdSpace space, int count) {
        return db.sql(c -> {
            int next = 1;
            try (PreparedStatement ps = c.prepareStatement("SELECT value FROM meta WHERE key = ?")) {
                ps.setString(1, space.metaKey);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        next = rs.getInt(1);
                    }
                }
            }
            List<Integer> ids = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                ids.add(next);
                next = next >= KeyIdSpace.MAX_ID ? 1 : next + 1;
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value")) {
                ps.setString(1, space.metaKey);
                ps.setInt(2, next);
                ps.executeUpdate();
            }
            return ids;
        });
    }

    // ---- one-time EC prekeys --------------------------------------------------------------------

    @Override
    public PreKeyRecord loadPreKey(int preKeyId) throws InvalidKeyIdException {
        byte[] record = loadBlob("SELECT record FROM prekeys WHERE key_id = ?", preKeyId);
        if (record == null) {
            throw new InvalidKeyIdException("no prekey with id " + preKeyId);
        }
        try {
            return new PreKeyRecord(record);
        } catch (InvalidMessageException e) {
            throw new ParleyStateException("stored prekey " + preKeyId + " is corrupt", e);
        }
    }

    @Override
    public void storePreKey(int preKeyId, PreKeyRecord record) {
        upsert("INSERT OR REPLACE INTO prekeys (key_id, record) VALUES (?, ?)", preKeyId, record.serialize());
    }

    @Override
    public boolean containsPreKey(int preKeyId) {
        return loadBlob("SELECT record FROM prekeys WHERE key_id = ?", preKeyId) != null;
    }

    @Override
    public void removePreKey(int preKeyId) {
        delete("DELETE FROM prekeys WHERE key_id = ?", preKeyId);
    }

    // ---- signed EC prekeys ----------------------------------------------------------------------

    @Override
    public SignedPreKeyRecord loadSignedPreKey(int signedPreKeyId) throws InvalidKeyIdException {
        byte[] record = loadBlob("SELECT record FROM signed_prekeys WHERE key_id = ?", signedPreKeyId);
        if (record == null) {
            throw new InvalidKeyIdException("no signed prekey with id " + signedPreKeyId);
        }
        return signedPreKey(record);
    }

    @Override
    public List<SignedPreKeyRecord> loadSignedPreKeys() {
        return db.sql(c -> {
            List<SignedPreKeyRecord> records = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT record FROM signed_prekeys ORDER BY key_id");
                    ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    records.add(signedPreKey(rs.getBytes(1)));
                }
            }
            return records;
        });
    }

    private static SignedPreKeyRecord signedPreKey(byte[] record) {
        try {
            return new SignedPreKeyRecord(record);
        } catch (InvalidMessageException e) {
            throw new ParleyStateException("a stored signed prekey is corrupt", e);
        }
    }

    @Override
    public void storeSignedPreKey(int signedPreKeyId, SignedPreKeyRecord record) {
        upsert("INSERT OR REPLACE INTO signed_prekeys (key_id, record) VALUES (?, ?)", signedPreKeyId, record.serialize());
    }

    @Override
    public boolean containsSignedPreKey(int signedPreKeyId) {
        return loadBlob("SELECT record FROM signed_prekeys WHERE key_id = ?", signedPreKeyId) != null;
    }

    @Override
    public void removeSignedPreKey(int signedPreKeyId) {
        delete("DELETE FROM signed_prekeys WHERE key_id = ?", signedPreKeyId);
    }

    // ---- Kyber prekeys --------------------------------------------------------------------------

    @Override
    public KyberPreKeyRecord loadKyberPreKey(int kyberPreKeyId) throws InvalidKeyIdException {
        byte[] record = loadBlob("SELECT record FROM kyber_prekeys WHERE key_id = ?", kyberPreKeyId);
        if (record == null) {
            throw new InvalidKeyIdException("no Kyber prekey with id " + kyberPreKeyId);
        }
        return kyberPreKey(record);
    }

    @Override
    public List<KyberPreKeyRecord> loadKyberPreKeys() {
        return db.sql(c -> {
            List<KyberPreKeyRecord> records = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT record FROM kyber_prekeys ORDER BY key_id");
                    ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    records.add(kyberPreKey(rs.getBytes(1)));
                }
            }
            return records;
        });
    }

    private static KyberPreKeyRecord kyberPreKey(byte[] record) {
        try {
            return new KyberPreKeyRecord(record);
        } catch (InvalidMessageException e) {
            throw new ParleyStateException("a stored Kyber prekey is corrupt", e);
        }
    }

    /** Stores a one-time Kyber prekey, which {@link #markKyberPreKeyUsed} deletes. */
    @Override
    public void storeKyberPreKey(int kyberPreKeyId, KyberPreKeyRecord record) {
        storeKyberPreKey(kyberPreKeyId, record, false);
    }

    /** Stores the last-resort Kyber prekey, which survives use. */
    public void storeLastResortKyberPreKey(int kyberPreKeyId, KyberPreKeyRecord record) {
        storeKyberPreKey(kyberPreKeyId, record, true);
    }

    private void storeKyberPreKey(int kyberPreKeyId, KyberPreKeyRecord record, boolean lastResort) {
        db.update(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT OR REPLACE INTO kyber_prekeys (key_id, record, last_resort) VALUES (?, ?, ?)")) {
                ps.setInt(1, kyberPreKeyId);
                ps.setBytes(2, record.serialize());
                ps.setInt(3, lastResort ? 1 : 0);
                ps.executeUpdate();
            }
        });
    }

    @Override
    public boolean containsKyberPreKey(int kyberPreKeyId) {
        return loadBlob("SELECT record FROM kyber_prekeys WHERE key_id = ?", kyberPreKeyId) != null;
    }

    /**
     * A one-time key is deleted. The last-resort key is kept, but each (key, signed prekey, base key)
     * combination may be used once: a second use means a replayed first message.
     */
    @Override
    public void markKyberPreKeyUsed(int kyberPreKeyId, int signedPreKeyId, ECPublicKey baseKey)
            throws ReusedBaseKeyException {
        Boolean fresh = db.sql(c -> {
            Boolean lastResort = null;
            try (PreparedStatement ps = c.prepareStatement("SELECT last_resort FROM kyber_prekeys WHERE key_id = ?")) {
                ps.setInt(1, kyberPreKeyId);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        lastResort = rs.getInt(1) != 0;
                    }
                }
            }
            if (lastResort == null) {
                return true;
            }
            if (!lastResort) {
                try (PreparedStatement ps = c.prepareStatement("DELETE FROM kyber_prekeys WHERE key_id = ?")) {
                    ps.setInt(1, kyberPreKeyId);
                    ps.executeUpdate();
                }
                return true;
            }
            try (PreparedStatement ps = c.prepareStatement("""
                    INSERT OR IGNORE INTO kyber_base_keys_used (kyber_key_id, signed_prekey_id, base_key)
                    VALUES (?, ?, ?)""")) {
                ps.setInt(1, kyberPreKeyId);
                ps.setInt(2, signedPreKeyId);
                ps.setBytes(3, baseKey.serialize());
                return ps.executeUpdate() == 1;
            }
        });
        if (!fresh) {
            throw new ReusedBaseKeyException("the last-resort Kyber prekey " + kyberPreKeyId + " was already used with this base key");
        }
    }

    /** One-time prekeys this device still holds locally, for diagnostics and tests. */
    public int countOneTimePreKeys() {
        return count("SELECT COUNT(*) FROM prekeys");
    }

    public int countOneTimeKyberPreKeys() {
        return count("SELECT COUNT(*) FROM kyber_prekeys WHERE last_resort = 0");
    }

    // ---- sessions -------------------------------------------------------------------------------

    @Override
    public SessionRecord loadSession(SignalProtocolAddress address) {
        return db.sql(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT record FROM sessions WHERE name = ? AND device_id = ?")) {
                ps.setString(1, address.getName());
                ps.setInt(2, address.getDeviceId());
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? session(rs.getBytes(1)) : null;
                }
            }
        });
    }

    private static SessionRecord session(byte[] record) {
        try {
            return new SessionRecord(record);
        } catch (InvalidMessageException e) {
            throw new ParleyStateException("a stored session is corrupt", e);
        }
    }

    @Override
    public List<SessionRecord> loadExistingSessions(List<SignalProtocolAddress> addresses) throws NoSessionException {
        List<SessionRecord> records = new ArrayList<>(addresses.size());
        for (SignalProtocolAddress address : addresses) {
            SessionRecord record = loadSession(address);
            if (record == null) {
                throw new NoSessionException("no session with " + address);
            }
            records.add(record);
        }
        return records;
    }

    /** libsignal's meaning: the devices other than the primary (id 1) that we hold a session with. */
    @Override
    public List<Integer> getSubDeviceSessions(String name) {
        List<Integer> all = deviceIdsWithSession(name);
        all.removeIf(id -> id == 1);
        return all;
    }

    /** Every device of {@code name} (an account id) that we hold a session with, ascending. */
    public List<Integer> deviceIdsWithSession(String name) {
        return db.sql(c -> {
            List<Integer> ids = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT device_id FROM sessions WHERE name = ? ORDER BY device_id")) {
                ps.setString(1, name);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        ids.add(rs.getInt(1));
                    }
                }
            }
            return ids;
        });
    }

    @Override
    public void storeSession(SignalProtocolAddress address, SessionRecord record) {
        db.update(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT OR REPLACE INTO sessions (name, device_id, record) VALUES (?, ?, ?)")) {
                ps.setString(1, address.getName());
                ps.setInt(2, address.getDeviceId());
                ps.setBytes(3, record.serialize());
                ps.executeUpdate();
            }
        });
    }

    @Override
    public boolean containsSession(SignalProtocolAddress address) {
        SessionRecord record = loadSession(address);
        // An archived-only record cannot encrypt; libsignal's own stores treat it as "no session".
        return record != null && record.hasSenderChain();
    }

    @Override
    public void deleteSession(SignalProtocolAddress address) {
        db.update(c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM sessions WHERE name = ? AND device_id = ?")) {
                ps.setString(1, address.getName());
                ps.setInt(2, address.getDeviceId());
                ps.executeUpdate();
            }
        });
    }

    @Override
    public void deleteAllSessions(String name) {
        db.update(c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM sessions WHERE name = ?")) {
                ps.setString(1, name);
                ps.executeUpdate();
            }
        });
    }

    // ---- sender keys (unused by Parley, required by the interface) --------------------------------

    @Override
    public void storeSenderKey(SignalProtocolAddress sender, UUID distributionId, SenderKeyRecord record) {
        db.update(c -> {
            try (PreparedStatement ps = c.prepareStatement("""
                    INSERT OR REPLACE INTO sender_keys (name, device_id, distribution_id, record) VALUES (?, ?, ?, ?)""")) {
                ps.setString(1, sender.getName());
                ps.setInt(2, sender.getDeviceId());
                ps.setString(3, distributionId.toString());
                ps.setBytes(4, record.serialize());
                ps.executeUpdate();
            }
        });
    }

    @Override
    public SenderKeyRecord loadSenderKey(SignalProtocolAddress sender, UUID distributionId) {
        return db.sql(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT record FROM sender_keys WHERE name = ? AND device_id = ? AND distribution_id = ?")) {
                ps.setString(1, sender.getName());
                ps.setInt(2, sender.getDeviceId());
                ps.setString(3, distributionId.toString());
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return null;
                    }
                    try {
                        return new SenderKeyRecord(rs.getBytes(1));
                    } catch (InvalidMessageException e) {
                        throw new ParleyStateException("a stored sender key is corrupt", e);
                    }
                }
            }
        });
    }

    // ---- helpers --------------------------------------------------------------------------------

    private byte[] loadBlob(String sql, int id) {
        return db.sql(c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setInt(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? rs.getBytes(1) : null;
                }
            }
        });
    }

    private void upsert(String sql, int id, byte[] record) {
        db.update(c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setInt(1, id);
                ps.setBytes(2, record);
                ps.executeUpdate();
            }
        });
    }

    private void delete(String sql, int id) {
        db.update(c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setInt(1, id);
                ps.executeUpdate();
            }
        });
    }

    private int count(String sql) {
        return db.sql(c -> {
            try (PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getInt(1) : 0;
            }
        });
    }
}
