// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.client.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * What a receive reports besides history entries ({@code receive_notices}: receipts, group changes,
 * typing), the receipts this device still owes ({@code pending_receipts}) and the read-receipts
 * setting (in {@code meta}). Every method joins the caller's transaction.
 */
public final class NoticeStore {
    private static final String READ_RECEIPTS = "read_receipts";

    private final StateDatabase db;
    private final Clock clock;

    public NoticeStore(StateDatabase db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    /**
     * One notice not reported yet.
     *
     * @param kind    delivered, read, typing or group
     * @param detail  for typing: started or stopped; for group: what changed
     * @param sentAts for receipts: the {@code sentAt} of the messages they confirm
     */
    public record Notice(long id, String kind, String peerHandle, String peerAccountId, String groupId, String detail,
                         List<Long> sentAts) {}

    public void add(String kind, String peerHandle, String peerAccountId, String groupId, String detail,
                    List<Long> sentAts) {
        db.update(c -> {
            try (PreparedStatement ps = db.prepare("""
                    INSERT INTO receive_notices (kind, peer_handle, peer_account_id, group_id, detail, sent_ats, created_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?)""")) {
                ps.setString(1, kind);
                ps.setString(2, peerHandle);
                ps.setString(3, peerAccountId);
                ps.setString(4, groupId);
                ps.setString(5, detail);
                ps.setString(6, sentAts == null ? null
                        : sentAts.stream().map(String::valueOf).collect(Collectors.joining(",")));
                ps.setLong(7, clock.millis());
                ps.executeUpdate();
            }
        });
    }

    /** The notices not reported yet, oldest first. */
    public List<Notice> unreported() {
        return db.sql(c -> {
            List<Notice> out = new ArrayList<>();
            try (PreparedStatement ps = db.prepare("""
                    SELECT id, kind, peer_handle, peer_account_id, group_id, detail, sent_ats
                    FROM receive_notices ORDER BY id""");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String ats = rs.getString(7);
                    out.add(new Notice(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
                            rs.getString(5), rs.getString(6), ats == null || ats.isEmpty() ? List.of()
                                    : Arrays.stream(ats.split(",")).map(Long::parseLong).toList()));
                }
            }
            return out;
        });
    }

    /** A reported notice is deleted: receipts and typing are not kept as history. */
    public void reported(long id) {
        db.update(c -> {
            try (PreparedStatement ps = db.prepare("DELETE FROM receive_notices WHERE id = ?")) {
                ps.setLong(1, id);
                ps.executeUpdate();
            }
        });
    }

    /** The text of the message this device (or a sibling) sent at {@code sentAt}, if the history has it. */
    public java.util.Optional<String> sentText(long sentAt) {
        return db.sql(c -> {
            try (PreparedStatement ps = db.prepare(
                    "SELECT body FROM history WHERE direction = 'out' AND sent_at = ? ORDER BY id LIMIT 1")) {
                ps.setLong(1, sentAt);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? java.util.Optional.ofNullable(rs.getString(1)) : java.util.Optional.<String>empty();
                }
            }
        });
    }

    // ---- receipts owed ------------------------------------------------------------------------

    public void owe(String peerAccountId, String kind, long sentAt) {
        db.update(c -> {
            try (PreparedStatement ps = db.prepare(
                    "INSERT OR IGNORE INTO pending_receipts (peer_account_id, kind, sent_at) VALUES (?, ?, ?)")) {
                ps.setString(1, peerAccountId);
                ps.setString(2, kind);
                ps.setLong(3, sentAt);
                ps.executeUpdate();
            }
        });
    }

    /** Receipts owed, by {@code peerAccountId + " " + kind}, each with its message timestamps. */
    public Map<String, List<Long>> owed() {
        return db.sql(c -> {
            Map<String, List<Long>> out = new TreeMap<>();
            try (PreparedStatement ps = db.prepare(
                    "SELECT peer_account_id, kind, sent_at FROM pending_receipts ORDER BY peer_account_id, kind, sent_at");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.computeIfAbsent(rs.getString(1) + " " + rs.getString(2), k -> new ArrayList<>()).add(rs.getLong(3));
                }
            }
            return out;
        });
    }

    public void paid(String peerAccountId, String kind, List<Long> sentAts) {
        db.update(c -> {
            try (PreparedStatement ps = db.prepare(
                    "DELETE FROM pending_receipts WHERE peer_account_id = ? AND kind = ? AND sent_at = ?")) {
                for (long at : sentAts) {
                    ps.setString(1, peerAccountId);
                    ps.setString(2, kind);
                    ps.setLong(3, at);
                    ps.executeUpdate();
                }
            }
        });
    }

    // ---- settings -----------------------------------------------------------------------------

    /** Whether this device sends read receipts (on unless turned off). */
    public boolean readReceipts() {
        return db.sql(c -> {
            try (PreparedStatement ps = db.prepare("SELECT value FROM meta WHERE key = ?")) {
                ps.setString(1, READ_RECEIPTS);
                try (ResultSet rs = ps.executeQuery()) {
                    return !rs.next() || rs.getLong(1) != 0;
                }
            }
        });
    }

    public void setReadReceipts(boolean on) {
        db.update(c -> {
            try (PreparedStatement ps = db.prepare("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)")) {
                ps.setString(1, READ_RECEIPTS);
                ps.setLong(2, on ? 1 : 0);
                ps.executeUpdate();
            }
        });
    }
}
