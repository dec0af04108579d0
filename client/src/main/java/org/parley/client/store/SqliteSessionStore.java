// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.client.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import org.parley.client.error.ParleyStateException;
import org.signal.libsignal.protocol.InvalidMessageException;
import org.signal.libsignal.protocol.NoSessionException;
import org.signal.libsignal.protocol.SignalProtocolAddress;
import org.signal.libsignal.protocol.state.SessionRecord;
import org.signal.libsignal.protocol.state.SessionStore;

/** The Signal sessions with remote devices, one per (account id, device id), in the {@code sessions} table. */
final class SqliteSessionStore implements SessionStore {
    private final StateDatabase db;

    SqliteSessionStore(StateDatabase db) {
        this.db = db;
    }

    @Override
    public SessionRecord loadSession(SignalProtocolAddress address) {
        return db.sql(c -> {
            try (PreparedStatement ps = db.prepare("SELECT record FROM sessions WHERE name = ? AND device_id = ?")) {
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

    /** Each address is loaded on its own; only a transaction held by the caller makes the set consistent. */
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
    List<Integer> deviceIdsWithSession(String name) {
        return db.sql(c -> {
            List<Integer> ids = new ArrayList<>();
            try (PreparedStatement ps = db.prepare("SELECT device_id FROM sessions WHERE name = ? ORDER BY device_id")) {
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
            try (PreparedStatement ps = db.prepare(
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
            try (PreparedStatement ps = db.prepare("DELETE FROM sessions WHERE name = ? AND device_id = ?")) {
                ps.setString(1, address.getName());
                ps.setInt(2, address.getDeviceId());
                ps.executeUpdate();
            }
        });
    }

    @Override
    public void deleteAllSessions(String name) {
        db.update(c -> {
            try (PreparedStatement ps = db.prepare("DELETE FROM sessions WHERE name = ?")) {
                ps.setString(1, name);
                ps.executeUpdate();
            }
        });
    }
}
