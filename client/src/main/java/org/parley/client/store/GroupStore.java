// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.client.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * The groups of this home ({@code groups}, {@code group_members}, {@code group_key_shares},
 * {@code group_history}): client-managed membership, our sender key per group, and which member
 * devices hold it. Every method joins the caller's transaction.
 */
public final class GroupStore {
    private final StateDatabase db;
    private final Clock clock;

    public GroupStore(StateDatabase db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    /** Inserts or replaces the group and its member list. */
    public void save(GroupRecord group) {
        db.update(c -> {
            try (PreparedStatement ps = db.prepare("""
                    INSERT OR REPLACE INTO groups (group_id, name, revision, distribution_id, active, updated_at)
                    VALUES (?, ?, ?, ?, ?, ?)""")) {
                ps.setString(1, group.id());
                ps.setString(2, group.name());
                ps.setLong(3, group.revision());
                ps.setString(4, group.distributionId().toString());
                ps.setInt(5, group.active() ? 1 : 0);
                ps.setLong(6, clock.millis());
                ps.executeUpdate();
            }
            try (PreparedStatement ps = db.prepare("DELETE FROM group_members WHERE group_id = ?")) {
                ps.setString(1, group.id());
                ps.executeUpdate();
            }
            try (PreparedStatement ps = db.prepare(
                    "INSERT INTO group_members (group_id, account_id, handle) VALUES (?, ?, ?)")) {
                for (GroupMember m : group.members()) {
                    ps.setString(1, group.id());
                    ps.setString(2, m.accountId());
                    ps.setString(3, m.handle());
                    ps.executeUpdate();
                }
            }
        });
    }

    public Optional<GroupRecord> load(String groupId) {
        return db.sql(c -> {
            try (PreparedStatement ps = db.prepare(
                    "SELECT group_id, name, revision, distribution_id, active FROM groups WHERE group_id = ?")) {
                ps.setString(1, groupId);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.<GroupRecord>empty();
                    }
                    return Optional.of(new GroupRecord(rs.getString(1), rs.getString(2), rs.getLong(3),
                            UUID.fromString(rs.getString(4)), rs.getInt(5) != 0, List.of()));
                }
            }
        }).map(g -> new GroupRecord(g.id(), g.name(), g.revision(), g.distributionId(), g.active(), members(g.id())));
    }

    /** Every group, by name. */
    public List<GroupRecord> list() {
        List<String> ids = db.sql(c -> {
            List<String> out = new ArrayList<>();
            try (PreparedStatement ps = db.prepare("SELECT group_id FROM groups ORDER BY name, group_id");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
            return out;
        });
        return ids.stream().map(id -> load(id).orElseThrow()).toList();
    }

    private List<GroupMember> members(String groupId) {
        return db.sql(c -> {
            List<GroupMember> out = new ArrayList<>();
            try (PreparedStatement ps = db.prepare(
                    "SELECT account_id, handle FROM group_members WHERE group_id = ? ORDER BY handle, account_id")) {
                ps.setString(1, groupId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new GroupMember(rs.getString(1), rs.getString(2)));
                    }
                }
            }
            return out;
        });
    }

    /** The member devices ({@link #deviceKey}) that hold the sender key {@code distributionId}. */
    public Set<String> sharedWith(UUID distributionId) {
        return db.sql(c -> {
            Set<String> out = new HashSet<>();
            try (PreparedStatement ps = db.prepare(
                    "SELECT account_id, device_id, registration_id FROM group_key_shares WHERE distribution_id = ?")) {
                ps.setString(1, distributionId.toString());
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(deviceKey(rs.getString(1), rs.getInt(2), rs.getInt(3)));
                    }
                }
            }
            return out;
        });
    }

    public void markShared(UUID distributionId, String accountId, int deviceId, int registrationId) {
        db.update(c -> {
            try (PreparedStatement ps = db.prepare("""
                    INSERT OR IGNORE INTO group_key_shares (distribution_id, account_id, device_id, registration_id)
                    VALUES (?, ?, ?, ?)""")) {
                ps.setString(1, distributionId.toString());
                ps.setString(2, accountId);
                ps.setInt(3, deviceId);
                ps.setInt(4, registrationId);
                ps.executeUpdate();
            }
        });
    }

    /** Forgets who holds {@code distributionId}: it was replaced. */
    public void forgetShares(UUID distributionId) {
        db.update(c -> {
            try (PreparedStatement ps = db.prepare("DELETE FROM group_key_shares WHERE distribution_id = ?")) {
                ps.setString(1, distributionId.toString());
                ps.executeUpdate();
            }
        });
    }

    /** Marks history entry {@code historyId} as part of the group's conversation. */
    public void linkHistory(long historyId, String groupId) {
        db.update(c -> {
            try (PreparedStatement ps = db.prepare("INSERT OR REPLACE INTO group_history (history_id, group_id) VALUES (?, ?)")) {
                ps.setLong(1, historyId);
                ps.setString(2, groupId);
                ps.executeUpdate();
            }
        });
    }

    /** The group of a history entry, if it belongs to one. */
    public Optional<String> groupOfHistory(long historyId) {
        return db.sql(c -> {
            try (PreparedStatement ps = db.prepare("SELECT group_id FROM group_history WHERE history_id = ?")) {
                ps.setLong(1, historyId);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(rs.getString(1)) : Optional.<String>empty();
                }
            }
        });
    }

    /** One installation of a device: a reinstall (new registration id) is another one. */
    public static String deviceKey(String accountId, int deviceId, int registrationId) {
        return accountId + "." + deviceId + "." + registrationId;
    }

}
