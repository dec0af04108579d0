// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.client.store;

import org.parley.client.error.ParleyStateException;
import org.signal.libsignal.protocol.InvalidKeyIdException;
import org.signal.libsignal.protocol.InvalidMessageException;
import org.signal.libsignal.protocol.state.PreKeyRecord;
import org.signal.libsignal.protocol.state.PreKeyStore;

/** The one-time EC prekeys this device has published, in the {@code prekeys} table. */
final class SqlitePreKeyStore implements PreKeyStore {
    private static final String SELECT = "SELECT record FROM prekeys WHERE key_id = ?";

    private final StateDatabase db;

    SqlitePreKeyStore(StateDatabase db) {
        this.db = db;
    }

    @Override
    public PreKeyRecord loadPreKey(int preKeyId) throws InvalidKeyIdException {
        byte[] record = KeyRows.loadBlob(db, SELECT, preKeyId);
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
        KeyRows.upsert(db, "INSERT OR REPLACE INTO prekeys (key_id, record) VALUES (?, ?)", preKeyId, record.serialize());
    }

    @Override
    public boolean containsPreKey(int preKeyId) {
        return KeyRows.loadBlob(db, SELECT, preKeyId) != null;
    }

    @Override
    public void removePreKey(int preKeyId) {
        KeyRows.delete(db, "DELETE FROM prekeys WHERE key_id = ?", preKeyId);
    }

    /** How many one-time prekeys this device still holds. */
    int count() {
        return KeyRows.count(db, "SELECT COUNT(*) FROM prekeys");
    }
}
