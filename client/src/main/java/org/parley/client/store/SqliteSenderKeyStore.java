// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.client.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.UUID;
import org.parley.client.error.ParleyStateException;
import org.signal.libsignal.protocol.InvalidMessageException;
import org.signal.libsignal.protocol.SignalProtocolAddress;
import org.signal.libsignal.protocol.groups.state.SenderKeyRecord;
import org.signal.libsignal.protocol.groups.state.SenderKeyStore;

/**
 * Group sender keys, in the {@code sender_keys} table. Parley has no groups; this exists because
 * libsignal's {@code SignalProtocolStore} requires it.
 */
final class SqliteSenderKeyStore implements SenderKeyStore {
    private final StateDatabase db;

    SqliteSenderKeyStore(StateDatabase db) {
        this.db = db;
    }

    @Override
    public void storeSenderKey(SignalProtocolAddress sender, UUID distributionId, SenderKeyRecord record) {
        db.update(c -> {
            try (PreparedStatement ps = db.prepare("""
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
            try (PreparedStatement ps = db.prepare(
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
}
