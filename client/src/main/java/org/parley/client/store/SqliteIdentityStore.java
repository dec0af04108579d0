// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.client.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.parley.client.error.ParleyStateException;
import org.signal.libsignal.protocol.IdentityKey;
import org.signal.libsignal.protocol.IdentityKeyPair;
import org.signal.libsignal.protocol.InvalidKeyException;
import org.signal.libsignal.protocol.SignalProtocolAddress;
import org.signal.libsignal.protocol.state.IdentityKeyStore;

/**
 * This device's own identity ({@code local_identity}), the identities of remote devices
 * ({@code remote_identities}) and the log of remote identity changes ({@code identity_changes}).
 *
 * <p>Identity trust is per device and on first use: {@link #isTrustedIdentity} accepts an unknown key and
 * the known key, and also a different key, because refusing would only make a reinstalled contact
 * unreachable. A different key is instead recorded by {@link #saveIdentity} as an
 * {@link IdentityKeyChange} for the user interface to report.
 */
final class SqliteIdentityStore implements IdentityKeyStore {
    private final StateDatabase db;
    private final Clock clock;
    private volatile LocalIdentity cachedIdentity;

    private record LocalIdentity(IdentityKeyPair keyPair, int registrationId) {}

    SqliteIdentityStore(StateDatabase db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    // ---- local identity -------------------------------------------------------------------------

    boolean hasLocalIdentity() {
        return loadLocalIdentity() != null;
    }

    /**
     * Installs a new identity for this device and forgets every key, session and remote identity that
     * belonged to the previous one: after a re-registration none of them is valid any more. This is why
     * the identity store clears the other stores' tables too.
     */
    void replaceLocalIdentity(IdentityKeyPair keyPair, int registrationId) {
        db.update(c -> {
            for (String table : List.of("prekeys", "signed_prekeys", "kyber_prekeys", "kyber_base_keys_used",
                    "sessions", "remote_identities", "identity_changes", "sender_keys", "local_identity")) {
                try (PreparedStatement ps = db.prepare("DELETE FROM " + table)) {
                    ps.executeUpdate();
                }
            }
            try (PreparedStatement ps = db.prepare(
                    "INSERT INTO local_identity (id, identity_key_pair, registration_id) VALUES (1, ?, ?)")) {
                ps.setBytes(1, keyPair.serialize());
                ps.setInt(2, registrationId);
                ps.executeUpdate();
            }
        });
        // Reloaded on next use rather than set here: the caller's transaction may still roll back.
        cachedIdentity = null;
    }

    /** @throws ParleyStateException when this device has no identity yet */
    @Override
    public IdentityKeyPair getIdentityKeyPair() {
        return requireLocalIdentity().keyPair();
    }

    /** @throws ParleyStateException when this device has no identity yet */
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
            try (PreparedStatement ps = db.prepare(
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

    /** Saves {@code identityKey} for {@code address}; replacing a different key also logs the change. */
    @Override
    public IdentityChange saveIdentity(SignalProtocolAddress address, IdentityKey identityKey) {
        return db.sql(c -> {
            IdentityKey existing = loadIdentity(address);
            long now = clock.millis();
            if (existing != null && existing.equals(identityKey)) {
                return IdentityChange.NEW_OR_UNCHANGED;
            }
            try (PreparedStatement ps = db.prepare("""
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
            try (PreparedStatement ps = db.prepare("""
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
        return db.sql(c -> loadIdentity(address));
    }

    private IdentityKey loadIdentity(SignalProtocolAddress address) throws SQLException {
        try (PreparedStatement ps = db.prepare(
                "SELECT identity_key FROM remote_identities WHERE name = ? AND device_id = ?")) {
            ps.setString(1, address.getName());
            ps.setInt(2, address.getDeviceId());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? identityKey(rs.getBytes(1)) : null;
            }
        }
    }

    /** Identity changes not yet reported to the user, oldest first. */
    List<IdentityKeyChange> unreportedIdentityChanges() {
        return db.sql(c -> {
            List<IdentityKeyChange> changes = new ArrayList<>();
            try (PreparedStatement ps = db.prepare("""
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

    void markIdentityChangesReported(List<IdentityKeyChange> changes) {
        db.update(c -> {
            try (PreparedStatement ps = db.prepare("UPDATE identity_changes SET reported = 1 WHERE id = ?")) {
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
}
