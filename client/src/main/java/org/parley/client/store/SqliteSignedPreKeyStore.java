// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.client.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import org.parley.client.error.ParleyStateException;
import org.signal.libsignal.protocol.InvalidKeyIdException;
import org.signal.libsignal.protocol.InvalidMessageException;
import org.signal.libsignal.protocol.state.SignedPreKeyRecord;
import org.signal.libsignal.protocol.state.SignedPreKeyStore;

/** This device's signed EC prekeys, in the {@code signed_prekeys} table. */
final class SqliteSignedPreKeyStore implements SignedPreKeyStore {
    private static final String SELECT = "SELECT record FROM signed_prekeys WHERE key_id = ?";

    private final StateDatabase db;

    SqliteSignedPreKeyStore(StateDatabase db) {
        this.db = db;
    }

    @Override
    public SignedPreKeyRecord loadSignedPreKey(int signedPreKeyId) throws InvalidKeyIdException {
        byte[] record = KeyRows.loadBlob(db, SELECT, signedPreKeyId);
        if (record == null) {
            throw new InvalidKeyIdException("no signed prekey with id " + signedPreKeyId);
        }
        return signedPreKey(record);
    }

    /** Every signed prekey, in ascending id order. */
    @Override
    public List<SignedPreKeyRecord> loadSignedPreKeys() {
        return db.sql(c -> {
            List<SignedPreKeyRecord> records = new ArrayList<>();
            try (PreparedStatement ps = db.prepare("SELECT record FROM signed_prekeys ORDER BY key_id");
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
        KeyRows.upsert(db, "INSERT OR REPLACE INTO signed_prekeys (key_id, record) VALUES (?, ?)", signedPreKeyId,
                record.serialize());
    }

    @Override
    public boolean containsSignedPreKey(int signedPreKeyId) {
        return KeyRows.loadBlob(db, SELECT, signedPreKeyId) != null;
    }

    @Override
    public void removeSignedPreKey(int signedPreKeyId) {
        KeyRows.delete(db, "DELETE FROM signed_prekeys WHERE key_id = ?", signedPreKeyId);
    }
}
