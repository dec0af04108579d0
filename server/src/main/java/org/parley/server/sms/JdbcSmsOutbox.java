// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.sms;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.parley.server.storage.Database;
import org.parley.server.storage.Dialect;

/** {@link SmsOutbox} on SQLite or PostgreSQL (tables of {@code db/sqlite/sms.sql}, {@code V10__sms.sql}). */
final class JdbcSmsOutbox implements SmsOutbox {
    private static final String SELECT = "SELECT id, account_id, purpose, recipient, alphabet, status, failure,"
            + " created_at, updated_at FROM sms_messages";

    private final Database db;

    JdbcSmsOutbox(Database db) {
        this.db = db;
    }

    @Override
    public SmsRecord enqueue(NewSms sms) {
        return db.write(c -> {
            int inserted;
            // ON CONFLICT: a retry of the same (account, client message id) must not queue a second SMS,
            // also when both arrive at once on two nodes.
            try (PreparedStatement s = c.prepareStatement("INSERT INTO sms_messages (id, account_id, client_message_id,"
                    + " purpose, recipient, body, alphabet, parts, reference, status, created_at, updated_at, expires_at)"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'queued', ?, ?, ?)"
                    + " ON CONFLICT (account_id, client_message_id) DO NOTHING")) {
                s.setString(1, sms.id());
                setNullable(s, 2, sms.accountId());
                setNullable(s, 3, sms.clientMessageId());
                s.setString(4, sms.purpose().wire());
                s.setString(5, sms.recipient());
                s.setString(6, sms.body());
                s.setString(7, sms.alphabet().wire());
                s.setInt(8, sms.parts());
                s.setInt(9, sms.reference());
                s.setLong(10, sms.createdAt());
                s.setLong(11, sms.createdAt());
                s.setLong(12, sms.expiresAt());
                inserted = s.executeUpdate();
            }
            if (inserted == 0) {
                try (PreparedStatement s = c.prepareStatement("SELECT id FROM sms_messages WHERE account_id = ?"
                        + " AND client_message_id = ?")) {
                    s.setString(1, sms.accountId());
                    s.setString(2, sms.clientMessageId());
                    try (ResultSet rs = s.executeQuery()) {
                        rs.next();
                        return load(c, rs.getString(1)).orElseThrow();
                    }
                }
            }
            try (PreparedStatement s = c.prepareStatement(
                    "INSERT INTO sms_parts (message_id, seq, state, updated_at) VALUES (?, ?, 'queued', ?)")) {
                for (int seq = 1; seq <= sms.parts(); seq++) {
                    s.setString(1, sms.id());
                    s.setInt(2, seq);
                    s.setLong(3, sms.createdAt());
                    s.addBatch();
                }
                s.executeBatch();
            }
            return load(c, sms.id()).orElseThrow();
        });
    }

    @Override
    public int countSince(String accountId, long since) {
        return db.read(c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT COUNT(*) FROM sms_messages WHERE account_id = ?"
                    + " AND purpose = 'message' AND created_at >= ?")) {
                s.setString(1, accountId);
                s.setLong(2, since);
                try (ResultSet rs = s.executeQuery()) {
                    rs.next();
                    return rs.getInt(1);
                }
            }
        });
    }

    @Override
    public List<Claimed> claim(String owner, long now, long leaseUntil, int limit) {
        return db.write(c -> {
            List<Claimed> out = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement("SELECT id, recipient, body, reference FROM sms_messages"
                    + " WHERE status = 'queued' AND lease_until <= ? AND expires_at > ? ORDER BY created_at LIMIT ?"
                    + db.dialect().forUpdateSkipLocked())) {
                s.setLong(1, now);
                s.setLong(2, now);
                s.setInt(3, limit);
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        out.add(new Claimed(rs.getString(1), rs.getString(2), rs.getString(3), rs.getInt(4), List.of()));
                    }
                }
            }
            List<Claimed> withParts = new ArrayList<>(out.size());
            try (PreparedStatement lease = c.prepareStatement(
                    "UPDATE sms_messages SET lease_until = ?, lease_owner = ? WHERE id = ?");
                 PreparedStatement parts = c.prepareStatement(
                         "SELECT seq FROM sms_parts WHERE message_id = ? AND state = 'queued' ORDER BY seq")) {
                for (Claimed claimed : out) {
                    lease.setLong(1, leaseUntil);
                    lease.setString(2, owner);
                    lease.setString(3, claimed.id());
                    lease.executeUpdate();
                    parts.setString(1, claimed.id());
                    List<Integer> open = new ArrayList<>();
                    try (ResultSet rs = parts.executeQuery()) {
                        while (rs.next()) {
                            open.add(rs.getInt(1));
                        }
                    }
                    withParts.add(new Claimed(claimed.id(), claimed.recipient(), claimed.body(), claimed.reference(),
                            List.copyOf(open)));
                }
            }
            return withParts;
        });
    }

    @Override
    public void releaseStaleLeases() {
        if (db.dialect() != Dialect.SQLITE) {
            return;
        }
        db.write(c -> {
            try (PreparedStatement s = c.prepareStatement(
                    "UPDATE sms_messages SET lease_until = 0, lease_owner = NULL WHERE lease_until > 0")) {
                return s.executeUpdate();
            }
        });
    }

    @Override
    public void release(String id, String owner) {
        db.write(c -> {
            try (PreparedStatement s = c.prepareStatement(
                    "UPDATE sms_messages SET lease_until = 0, lease_owner = NULL WHERE id = ? AND lease_owner = ?")) {
                s.setString(1, id);
                s.setString(2, owner);
                return s.executeUpdate();
            }
        });
    }

    @Override
    public SmsState accepted(String id, int seq, String smscId, long now) {
        return db.write(c -> {
            try (PreparedStatement s = c.prepareStatement("UPDATE sms_parts SET state = 'accepted', smsc_id = ?,"
                    + " updated_at = ? WHERE message_id = ? AND seq = ? AND state = 'queued'")) {
                s.setString(1, smscId);
                s.setLong(2, now);
                s.setString(3, id);
                s.setInt(4, seq);
                s.executeUpdate();
            }
            return refreshStatus(c, id, now);
        });
    }

    @Override
    public void failed(String id, String reason, long now) {
        db.write(c -> {
            try (PreparedStatement s = c.prepareStatement("UPDATE sms_messages SET status = 'failed', failure = ?,"
                    + " body = NULL, lease_until = 0, lease_owner = NULL, updated_at = ? WHERE id = ?")) {
                s.setString(1, reason);
                s.setLong(2, now);
                s.setString(3, id);
                return s.executeUpdate();
            }
        });
    }

    @Override
    public boolean receipt(String smscId, PartState state, long now) {
        return db.write(c -> {
            String id = null;
            try (PreparedStatement s = c.prepareStatement("SELECT message_id, seq FROM sms_parts WHERE smsc_id = ?"
                    + db.dialect().forUpdate())) {
                s.setString(1, smscId);
                try (ResultSet rs = s.executeQuery()) {
                    if (rs.next()) {
                        id = rs.getString(1);
                    }
                }
            }
            if (id == null) {
                return false;
            }
            try (PreparedStatement s = c.prepareStatement(
                    "UPDATE sms_parts SET state = ?, updated_at = ? WHERE smsc_id = ?")) {
                s.setString(1, state.wire());
                s.setLong(2, now);
                s.setString(3, smscId);
                s.executeUpdate();
            }
            refreshStatus(c, id, now);
            return true;
        });
    }

    /**
     * Sets the message's status from its parts; when no part is queued any more the text goes.
     * A message already failed stays failed whatever a late receipt says.
     */
    private SmsState refreshStatus(Connection c, String id, long now) throws SQLException {
        Optional<SmsRecord> record = load(c, id);
        if (record.isEmpty()) {
            return SmsState.FAILED;
        }
        SmsState current = record.get().status();
        SmsState next = current == SmsState.FAILED ? SmsState.FAILED : SmsState.of(record.get().parts());
        boolean allSubmitted = !record.get().parts().contains(PartState.QUEUED);
        try (PreparedStatement s = c.prepareStatement(allSubmitted
                ? "UPDATE sms_messages SET status = ?, updated_at = ?, body = NULL, lease_until = 0, lease_owner = NULL WHERE id = ?"
                : "UPDATE sms_messages SET status = ?, updated_at = ? WHERE id = ?")) {
            s.setString(1, next.wire());
            s.setLong(2, now);
            s.setString(3, id);
            s.executeUpdate();
        }
        return next;
    }

    @Override
    public Optional<SmsRecord> find(String id) {
        return db.read(c -> load(c, id));
    }

    private static Optional<SmsRecord> load(Connection c, String id) throws SQLException {
        List<PartState> parts = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement("SELECT state FROM sms_parts WHERE message_id = ? ORDER BY seq")) {
            s.setString(1, id);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    parts.add(PartState.fromWire(rs.getString(1)));
                }
            }
        }
        try (PreparedStatement s = c.prepareStatement(SELECT + " WHERE id = ?")) {
            s.setString(1, id);
            try (ResultSet rs = s.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                return Optional.of(new SmsRecord(rs.getString(1), rs.getString(2),
                        SmsRecord.Purpose.fromWire(rs.getString(3)), rs.getString(4), SmsAlphabet.fromWire(rs.getString(5)),
                        SmsState.fromWire(rs.getString(6)), rs.getString(7), rs.getLong(8), rs.getLong(9), parts));
            }
        }
    }

    @Override
    public long purge(long now, long createdBefore) {
        return db.write(c -> {
            long n;
            // A queued SMS that could not go out in time is given up: its text must not wait forever.
            try (PreparedStatement s = c.prepareStatement("UPDATE sms_messages SET status = 'failed',"
                    + " failure = 'not accepted by the gateway before sms.max-queue-time', body = NULL,"
                    + " lease_until = 0, lease_owner = NULL, updated_at = ? WHERE status = 'queued' AND expires_at <= ?")) {
                s.setLong(1, now);
                s.setLong(2, now);
                n = s.executeUpdate();
            }
            try (PreparedStatement s = c.prepareStatement("DELETE FROM sms_parts WHERE message_id IN"
                    + " (SELECT id FROM sms_messages WHERE created_at < ? AND status <> 'queued')")) {
                s.setLong(1, createdBefore);
                s.executeUpdate();
            }
            try (PreparedStatement s = c.prepareStatement(
                    "DELETE FROM sms_messages WHERE created_at < ? AND status <> 'queued'")) {
                s.setLong(1, createdBefore);
                n += s.executeUpdate();
            }
            return n;
        });
    }

    private static void setNullable(PreparedStatement s, int index, String value) throws SQLException {
        if (value == null) {
            s.setNull(index, Types.VARCHAR);
        } else {
            s.setString(index, value);
        }
    }
}
