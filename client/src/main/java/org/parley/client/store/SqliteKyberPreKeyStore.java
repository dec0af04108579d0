// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.client.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import org.parley.client.error.ParleyStateException;
import org.signal.libsignal.protocol.InvalidKeyIdException;
import org.signal.libsignal.protocol.InvalidMessageException;
import org.signal.libsignal.protocol.ReusedBaseKeyException;
import org.signal.libsignal.protocol.ecc.ECPublicKey;
import org.signal.libsignal.protocol.state.KyberPreKeyRecord;
import org.signal.libsignal.protocol.state.KyberPreKeyStore;

/**
 * This device's Kyber prekeys, one-time and last-resort, in the {@code kyber_prekeys} table, and the
 * uses of the last-resort key in {@code kyber_base_keys_used}.
 */
final class SqliteKyberPreKeyStore implements KyberPreKeyStore {
    private static final String SELECT = "SELECT record FROM kyber_prekeys WHERE key_id = ?";

    private final StateDatabase db;

    SqliteKyberPreKeyStore(StateDatabase db) {
        this.db = db;
    }

    @Override
    public KyberPreKeyRecord loadKyberPreKey(int kyberPreKeyId) throws InvalidKeyIdException {
        byte[] record = KeyRows.loadBlob(db, SELECT, kyberPreKeyId);
        if (record == null) {
            throw new InvalidKeyIdException("no Kyber prekey with id " + kyberPreKeyId);
        }
        return kyberPreKey(record);
    }

    /** Every Kyber prekey, one-time and last-resort alike, in ascending id order. */
    @Override
    public List<KyberPreKeyRecord> loadKyberPreKeys() {
        return db.sql(c -> {
            List<KyberPreKeyRecord> records = new ArrayList<>();
            try (PreparedStatement ps = db.prepare("SELECT record FROM kyber_prekeys ORDER BY key_id");
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
        store(kyberPreKeyId, record, false);
    }

    /** Stores the last-resort Kyber prekey, which survives use. */
    void storeLastResort(int kyberPreKeyId, KyberPreKeyRecord record) {
        store(kyberPreKeyId, record, true);
    }

    private void store(int kyberPreKeyId, KyberPreKeyRecord record, boolean lastResort) {
        db.update(c -> {
            try (PreparedStatement ps = db.prepare(
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
        return KeyRows.loadBlob(db, SELECT, kyberPreKeyId) != null;
    }

    /**
     * A one-time key is deleted. The last-resort key is kept, but each (key, signed prekey, base key)
     * combination may be used once: a second use means a replayed first message. An unknown id is
     * accepted, as there is nothing to delete or to remember.
     */
    @Override
    public void markKyberPreKeyUsed(int kyberPreKeyId, int signedPreKeyId, ECPublicKey baseKey)
            throws ReusedBaseKeyException {
        Boolean fresh = db.sql(c -> {
            Boolean lastResort = null;
            try (PreparedStatement ps = db.prepare("SELECT last_resort FROM kyber_prekeys WHERE key_id = ?")) {
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
                try (PreparedStatement ps = db.prepare("DELETE FROM kyber_prekeys WHERE key_id = ?")) {
                    ps.setInt(1, kyberPreKeyId);
                    ps.executeUpdate();
                }
                return true;
            }
            try (PreparedStatement ps = db.prepare("""
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

    /** The last-resort Kyber prekeys (the current one and any replaced one kept for the grace period), by id. */
    List<KyberPreKeyRecord> loadLastResort() {
        return db.sql(c -> {
            List<KyberPreKeyRecord> records = new ArrayList<>();
            try (PreparedStatement ps = db.prepare("SELECT record FROM kyber_prekeys WHERE last_resort = 1 ORDER BY key_id");
                    ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    records.add(kyberPreKey(rs.getBytes(1)));
                }
            }
            return records;
        });
    }

    /** Deletes a replaced last-resort key and the record of the base keys it was used with. */
    void removeLastResort(int kyberPreKeyId) {
        db.update(c -> {
            try (PreparedStatement ps = db.prepare("DELETE FROM kyber_base_keys_used WHERE kyber_key_id = ?")) {
                ps.setInt(1, kyberPreKeyId);
                ps.executeUpdate();
            }
            try (PreparedStatement ps = db.prepare("DELETE FROM kyber_prekeys WHERE key_id = ? AND last_resort = 1")) {
                ps.setInt(1, kyberPreKeyId);
                ps.executeUpdate();
            }
        });
    }

    /** How many one-time (not last-resort) Kyber prekeys this device still holds. */
    int countOneTime() {
        return KeyRows.count(db, "SELECT COUNT(*) FROM kyber_prekeys WHERE last_resort = 0");
    }
}
