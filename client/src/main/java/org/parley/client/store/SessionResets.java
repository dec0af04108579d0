// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.client.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;

/**
 * Session repair's state: which remote devices need a session reset, when the last reset went to each
 * (one per device per {@code minInterval}), and the notices a user interface has not reported yet.
 */
public final class SessionResets {
    /** A remote device whose session is to be reset. */
    public record Pending(String accountId, int deviceId) {}

    /** A reset to tell the user about; {@code sent}: we reset it, otherwise the remote device did. */
    public record Notice(long id, boolean sent, String accountId, int deviceId, long at) {}

    private final StateDatabase db;

    SessionResets(StateDatabase db) {
        this.db = db;
    }

    /**
     * Asks for a reset of the session with the device, unless one was sent less than
     * {@code minIntervalMs} ago (then a broken session is not reset again in a loop).
     *
     * @return true when the reset is now pending
     */
    public boolean request(String accountId, int deviceId, long now, long minIntervalMs) {
        return db.sql(c -> {
            try (PreparedStatement ps = db.prepare(
                    "SELECT last_sent_at FROM session_resets WHERE name = ? AND device_id = ?")) {
                ps.setString(1, accountId);
                ps.setInt(2, deviceId);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        long last = rs.getLong(1);
                        if (!rs.wasNull() && last > now - minIntervalMs) {
                            return false;
                        }
                    }
                }
            }
            try (PreparedStatement ps = db.prepare("""
                    INSERT INTO session_resets (name, device_id, pending, requested_at) VALUES (?, ?, 1, ?)
                    ON CONFLICT (name, device_id) DO UPDATE SET pending = 1, requested_at = excluded.requested_at""")) {
                ps.setString(1, accountId);
                ps.setInt(2, deviceId);
                ps.setLong(3, now);
                ps.executeUpdate();
            }
            return true;
        });
    }

    public List<Pending> pending() {
        return db.sql(c -> {
            List<Pending> out = new ArrayList<>();
            try (PreparedStatement ps = db.prepare(
                    "SELECT name, device_id FROM session_resets WHERE pending = 1 ORDER BY requested_at");
                    ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Pending(rs.getString(1), rs.getInt(2)));
                }
            }
            return out;
        });
    }

    /** The reset went out (or cannot: the device is gone); with {@code sent}, a notice is recorded. */
    public void done(Pending reset, boolean sent, long now) {
        db.update(c -> {
            try (PreparedStatement ps = db.prepare(
                    "UPDATE session_resets SET pending = 0, last_sent_at = ? WHERE name = ? AND device_id = ?")) {
                ps.setLong(1, now);
                ps.setString(2, reset.accountId());
                ps.setInt(3, reset.deviceId());
                ps.executeUpdate();
            }
            if (sent) {
                addNotice(true, reset.accountId(), reset.deviceId(), now);
            }
        });
    }

    /** Records that the remote device reset its session with us. */
    public void received(String accountId, int deviceId, long now) {
        db.update(c -> addNotice(false, accountId, deviceId, now));
    }

    private void addNotice(boolean sent, String accountId, int deviceId, long now) throws java.sql.SQLException {
        try (PreparedStatement ps = db.prepare(
                "INSERT INTO session_reset_notices (kind, name, device_id, at) VALUES (?, ?, ?, ?)")) {
            ps.setString(1, sent ? "sent" : "received");
            ps.setString(2, accountId);
            ps.setInt(3, deviceId);
            ps.setLong(4, now);
            ps.executeUpdate();
        }
    }

    /** The notices not reported yet, oldest first, marked reported in the same transaction. */
    public List<Notice> drainNotices() {
        return db.sql(c -> {
            List<Notice> out = new ArrayList<>();
            try (PreparedStatement ps = db.prepare(
                    "SELECT id, kind, name, device_id, at FROM session_reset_notices WHERE reported = 0 ORDER BY id");
                    ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Notice(rs.getLong(1), "sent".equals(rs.getString(2)), rs.getString(3), rs.getInt(4),
                            rs.getLong(5)));
                }
            }
            if (!out.isEmpty()) {
                try (PreparedStatement ps = db.prepare("UPDATE session_reset_notices SET reported = 1 WHERE reported = 0")) {
                    ps.executeUpdate();
                }
            }
            return out;
        });
    }
}
