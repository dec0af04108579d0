// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.client.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What this device knows, end-to-end, about its own account's devices ({@code own_devices}), and the
 * device notices its siblings sent it ({@code device_notices}), each reported once to a user interface.
 */
public final class OwnDevices {
    /** How a device became known: this device itself, the linking device's list, or a notice. */
    public static final String SELF = "self";
    public static final String PROVISIONING = "provisioning";
    public static final String NOTICE = "notice";

    /** A notice: {@code change} is {@code added} or {@code removed}. */
    public record Notice(long id, String change, int deviceId, int registrationId, int byDeviceId, long sentAt) {}

    private final StateDatabase db;
    private final Clock clock;

    public OwnDevices(StateDatabase db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    /** Device id to registration id of every known device of our account; joins the caller's transaction. */
    public Map<Integer, Integer> known() {
        return db.sql(c -> {
            Map<Integer, Integer> out = new LinkedHashMap<>();
            try (PreparedStatement ps = db.prepare("SELECT device_id, registration_id FROM own_devices ORDER BY device_id");
                    ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getInt(1), rs.getInt(2));
                }
            }
            return out;
        });
    }

    /** Remembers a device; joins the caller's transaction. */
    public void add(int deviceId, int registrationId, String source) {
        db.update(c -> {
            try (PreparedStatement ps = db.prepare(
                    "INSERT OR REPLACE INTO own_devices (device_id, registration_id, source, updated_at) VALUES (?, ?, ?, ?)")) {
                ps.setInt(1, deviceId);
                ps.setInt(2, registrationId);
                ps.setString(3, source);
                ps.setLong(4, clock.millis());
                ps.executeUpdate();
            }
        });
    }

    public void remove(int deviceId) {
        db.update(c -> {
            try (PreparedStatement ps = db.prepare("DELETE FROM own_devices WHERE device_id = ?")) {
                ps.setInt(1, deviceId);
                ps.executeUpdate();
            }
        });
    }

    /** Forgets every known device (a new registration of this home starts over). */
    public void clear() {
        db.update(c -> {
            try (PreparedStatement ps = db.prepare("DELETE FROM own_devices")) {
                ps.executeUpdate();
            }
        });
    }

    /** Records a notice from sibling {@code byDeviceId} and applies it to the known devices; joins the caller's transaction. */
    public void noticed(String change, int deviceId, int registrationId, int byDeviceId, long sentAt) {
        db.update(c -> {
            try (PreparedStatement ps = db.prepare("""
                    INSERT INTO device_notices (change, device_id, registration_id, by_device_id, sent_at)
                    VALUES (?, ?, ?, ?, ?)""")) {
                ps.setString(1, change);
                ps.setInt(2, deviceId);
                ps.setInt(3, registrationId);
                ps.setInt(4, byDeviceId);
                ps.setLong(5, sentAt);
                ps.executeUpdate();
            }
            if ("added".equals(change)) {
                add(deviceId, registrationId, NOTICE);
            } else {
                remove(deviceId);
            }
        });
    }

    /**
     * Records, once per device id, that a message came from sibling {@code deviceId} although no device
     * announced it; joins the caller's transaction. Does nothing for a home that knows no device at all
     * (registered before this list existed).
     */
    public void unannounced(int deviceId, long at) {
        db.update(c -> {
            Map<Integer, Integer> known = known();
            if (known.isEmpty() || known.containsKey(deviceId)) {
                return;
            }
            try (PreparedStatement check = db.prepare(
                    "SELECT 1 FROM device_notices WHERE change = 'unannounced' AND device_id = ?")) {
                check.setInt(1, deviceId);
                try (ResultSet rs = check.executeQuery()) {
                    if (rs.next()) {
                        return;
                    }
                }
            }
            try (PreparedStatement ps = db.prepare("""
                    INSERT INTO device_notices (change, device_id, registration_id, by_device_id, sent_at)
                    VALUES ('unannounced', ?, 0, ?, ?)""")) {
                ps.setInt(1, deviceId);
                ps.setInt(2, deviceId);
                ps.setLong(3, at);
                ps.executeUpdate();
            }
        });
    }

    public List<Notice> unreported() {
        return db.sql(c -> {
            List<Notice> out = new ArrayList<>();
            try (PreparedStatement ps = db.prepare("""
                    SELECT id, change, device_id, registration_id, by_device_id, sent_at FROM device_notices
                    WHERE reported = 0 ORDER BY id""");
                    ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Notice(rs.getLong(1), rs.getString(2), rs.getInt(3), rs.getInt(4), rs.getInt(5), rs.getLong(6)));
                }
            }
            return out;
        });
    }

    public void markReported(List<Notice> notices) {
        db.update(c -> {
            try (PreparedStatement ps = db.prepare("UPDATE device_notices SET reported = 1 WHERE id = ?")) {
                for (Notice n : notices) {
                    ps.setLong(1, n.id());
                    ps.executeUpdate();
                }
            }
        });
    }
}
