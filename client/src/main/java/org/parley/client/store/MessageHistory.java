// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.client.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * The conversation history of this home, in plaintext (the home is private to its user, like the keys).
 *
 * <p>A received message is written inside the transaction that advances its session and marks its GUID
 * seen, before the ack: once the server may delete the envelope, the message is on disk. Entries start
 * unshown; {@link #markShown} is called after a user interface displayed one, so a crash before that
 * shows it again on the next run and a crash after it does not.
 */
public final class MessageHistory {
    private static final String COLUMNS = """
            id, direction, kind, guid, peer_handle, peer_account_id, source_device_id, body, reason, detail,
            sent_at, server_timestamp, shown""";

    private final StateDatabase db;

    public MessageHistory(StateDatabase db) {
        this.db = db;
    }

    /** A message from someone (or a note to self from another device of ours); joins the caller's transaction. */
    public long received(String guid, String senderHandle, String senderAccountId, int sourceDeviceId, String body,
                         long sentAt, long serverTimestamp) {
        return insert(HistoryEntry.Direction.IN, HistoryEntry.Kind.MESSAGE, guid, senderHandle, senderAccountId,
                sourceDeviceId, body, null, null, sentAt, serverTimestamp, false);
    }

    /** A copy of a message our own device {@code sourceDeviceId} sent to {@code recipientHandle}. */
    public long syncCopy(String guid, String recipientHandle, int sourceDeviceId, String body, long sentAt,
                         long serverTimestamp) {
        return insert(HistoryEntry.Direction.OUT, HistoryEntry.Kind.MESSAGE, guid, recipientHandle, null,
                sourceDeviceId, body, null, null, sentAt, serverTimestamp, false);
    }

    /** An envelope that could not be read: kept so that the warning survives a crash before it is shown. */
    public long undecryptable(String guid, String senderHandle, String senderAccountId, int sourceDeviceId,
                              String reason, String detail, long serverTimestamp) {
        return insert(HistoryEntry.Direction.IN, HistoryEntry.Kind.UNDECRYPTABLE, guid, senderHandle, senderAccountId,
                sourceDeviceId, null, reason, detail, serverTimestamp, serverTimestamp, false);
    }

    /** A message this device sent; the user typed it, so it counts as shown. */
    public long sent(String recipientHandle, String recipientAccountId, String body, long sentAt, long serverTimestamp) {
        return insert(HistoryEntry.Direction.OUT, HistoryEntry.Kind.MESSAGE, null, recipientHandle, recipientAccountId,
                null, body, null, null, sentAt, serverTimestamp, true);
    }

    /** Entries no user interface has displayed yet, oldest first. */
    public List<HistoryEntry> unshown() {
        return query("SELECT " + COLUMNS + " FROM history WHERE shown = 0 ORDER BY id", ps -> { });
    }

    /**
     * Marks an entry shown. Not synced to disk: a power loss right after may show it once more, which is
     * the harmless direction, and a sync here would double the cost of each received message.
     */
    public void markShown(long id) {
        db.updateUnsynced(c -> {
            try (PreparedStatement ps = db.prepare("UPDATE history SET shown = 1 WHERE id = ?")) {
                ps.setLong(1, id);
                ps.executeUpdate();
            }
        });
    }

    /** The last {@code limit} entries of every conversation, oldest first. */
    public List<HistoryEntry> latest(int limit) {
        return query("SELECT * FROM (SELECT " + COLUMNS + " FROM history ORDER BY id DESC LIMIT ?) ORDER BY id",
                ps -> ps.setInt(1, limit));
    }

    /**
     * The last {@code limit} entries exchanged with {@code handle}, oldest first; {@code accountId} (may be
     * null) also matches entries recorded under another handle of the same account.
     */
    public List<HistoryEntry> conversation(String handle, String accountId, int limit) {
        return query("SELECT * FROM (SELECT " + COLUMNS + " FROM history"
                + " WHERE peer_handle = ? OR (? IS NOT NULL AND peer_account_id = ?)"
                + " ORDER BY id DESC LIMIT ?) ORDER BY id", ps -> {
            ps.setString(1, handle);
            ps.setString(2, accountId);
            ps.setString(3, accountId);
            ps.setInt(4, limit);
        });
    }

    private long insert(HistoryEntry.Direction direction, HistoryEntry.Kind kind, String guid, String peerHandle,
                        String peerAccountId, Integer sourceDeviceId, String body, String reason, String detail,
                        long sentAt, long serverTimestamp, boolean shown) {
        return db.sql(c -> {
            try (PreparedStatement ps = db.prepare("""
                    INSERT INTO history (direction, kind, guid, peer_handle, peer_account_id, source_device_id, body,
                                         reason, detail, sent_at, server_timestamp, shown)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id""")) {
                ps.setString(1, direction == HistoryEntry.Direction.IN ? "in" : "out");
                ps.setString(2, kind == HistoryEntry.Kind.MESSAGE ? "message" : "undecryptable");
                ps.setString(3, guid);
                ps.setString(4, peerHandle);
                ps.setString(5, peerAccountId);
                ps.setObject(6, sourceDeviceId);
                ps.setString(7, body);
                ps.setString(8, reason);
                ps.setString(9, detail);
                ps.setLong(10, sentAt);
                ps.setLong(11, serverTimestamp);
                ps.setInt(12, shown ? 1 : 0);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
        });
    }

    @FunctionalInterface
    private interface Binder {
        void bind(PreparedStatement ps) throws SQLException;
    }

    private List<HistoryEntry> query(String sql, Binder binder) {
        return db.sql(c -> {
            try (PreparedStatement ps = db.prepare(sql)) {
                binder.bind(ps);
                List<HistoryEntry> entries = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        entries.add(read(rs));
                    }
                }
                return entries;
            }
        });
    }

    private static HistoryEntry read(ResultSet rs) throws SQLException {
        int device = rs.getInt(7);
        Integer sourceDevice = rs.wasNull() ? null : device;
        return new HistoryEntry(rs.getLong(1),
                "in".equals(rs.getString(2)) ? HistoryEntry.Direction.IN : HistoryEntry.Direction.OUT,
                "message".equals(rs.getString(3)) ? HistoryEntry.Kind.MESSAGE : HistoryEntry.Kind.UNDECRYPTABLE,
                rs.getString(4), rs.getString(5), rs.getString(6), sourceDevice, rs.getString(8), rs.getString(9),
                rs.getString(10), rs.getLong(11), rs.getLong(12), rs.getInt(13) != 0);
    }
}
