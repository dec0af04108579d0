// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.audit;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.parley.server.storage.Database;
import org.parley.server.storage.Dialect;
import org.parley.server.storage.StorageException;

/**
 * {@link AuditStore} on SQLite or PostgreSQL (tables from {@code db/sqlite/audit.sql} and
 * {@code db/postgresql/V6__audit.sql}).
 *
 * <p>The chain has one order, so every write that moves it (an append, the purge) first locks the
 * {@code audit_chain} row: on PostgreSQL, appends from several nodes then queue on that row and
 * each reads the head the previous one committed. SQLite writes run one at a time anyway.
 */
final class JdbcAuditStore implements AuditStore {
    private static final String COLUMNS = "seq, time_ms, actor, action, details, prev_hash, hash";

    private final Database db;

    JdbcAuditStore(Database db) {
        this.db = db;
    }

    @Override
    public Row append(long timeMs, String actor, String action, String detailsJson) {
        return db.write(c -> appendIn(c, timeMs, actor, action, detailsJson));
    }

    private Row appendIn(Connection c, long timeMs, String actor, String action, String detailsJson)
            throws SQLException {
        // Reading the head locked, inside the write transaction: two appends (on any nodes) can
        // never chain to the same entry.
        Chain chain = lockedChainIn(c);
        long seq = chain.headSeq() + 1;
        String hash = AuditHashing.hash(chain.headHash(), seq, timeMs, actor, action, detailsJson);
        try (PreparedStatement s = c.prepareStatement("INSERT INTO audit_log (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?)")) {
            s.setLong(1, seq);
            s.setLong(2, timeMs);
            s.setString(3, actor);
            s.setString(4, action);
            s.setString(5, detailsJson);
            s.setString(6, chain.headHash());
            s.setString(7, hash);
            s.executeUpdate();
        }
        try (PreparedStatement s = c.prepareStatement("UPDATE audit_chain SET head_seq = ?, head_hash = ? WHERE id = 1")) {
            s.setLong(1, seq);
            s.setString(2, hash);
            s.executeUpdate();
        }
        return new Row(seq, timeMs, actor, action, detailsJson, chain.headHash(), hash);
    }

    @Override
    public Chain chain() {
        return db.read(JdbcAuditStore::chainIn);
    }

    /** The chain row, locked until the write transaction ends (PostgreSQL; SQLite needs no lock). */
    private Chain lockedChainIn(Connection c) throws SQLException {
        return chainIn(c, db.dialect().forUpdate());
    }

    private static Chain chainIn(Connection c) throws SQLException {
        return chainIn(c, "");
    }

    private static Chain chainIn(Connection c, String lock) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT base_seq, base_hash, head_seq, head_hash FROM audit_chain WHERE id = 1" + lock);
             ResultSet rs = s.executeQuery()) {
            if (!rs.next()) {
                throw new StorageException("the audit_chain row is missing: the audit log cannot be trusted", null);
            }
            return new Chain(rs.getLong(1), rs.getString(2), rs.getLong(3), rs.getString(4));
        }
    }

    @Override
    public List<Row> page(long afterSeq, int limit) {
        return db.read(c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT " + COLUMNS + " FROM audit_log WHERE seq > ? ORDER BY seq LIMIT ?")) {
                s.setLong(1, afterSeq);
                s.setInt(2, limit);
                List<Row> out = new ArrayList<>();
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        out.add(row(rs));
                    }
                }
                return out;
            }
        });
    }

    @Override
    public void walk(ChainVisitor visitor) {
        db.read(c -> {
            // One read transaction: in WAL mode both statements then see the same snapshot; on
            // PostgreSQL REPEATABLE READ gives the same (READ COMMITTED would let an append that
            // commits between the two statements show up as an entry past the head).
            c.setAutoCommit(false);
            int isolation = c.getTransactionIsolation();
            if (db.dialect() == Dialect.POSTGRESQL) {
                c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            }
            try {
                visitor.start(chainIn(c));
                try (PreparedStatement s = c.prepareStatement("SELECT " + COLUMNS + " FROM audit_log ORDER BY seq");
                     ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        visitor.entry(row(rs));
                    }
                }
                return null;
            } finally {
                c.rollback();
                c.setAutoCommit(true);
                if (db.dialect() == Dialect.POSTGRESQL) {
                    c.setTransactionIsolation(isolation);
                }
            }
        });
    }

    @Override
    public long purgeBefore(long cutoffMs, long nowMs, String retention) {
        return db.write(c -> {
            Chain chain = lockedChainIn(c);
            // The new base is the entry just before the first one still inside the retention, so the
            // chain stays contiguous even if the clock once went backwards between two entries.
            long through;
            try (PreparedStatement s = c.prepareStatement("SELECT MIN(seq) FROM audit_log WHERE time_ms >= ?")) {
                s.setLong(1, cutoffMs);
                try (ResultSet rs = s.executeQuery()) {
                    rs.next();
                    long firstKept = rs.getLong(1);
                    through = rs.wasNull() ? chain.headSeq() : firstKept - 1;
                }
            }
            if (through <= chain.baseSeq()) {
                return 0L;
            }
            String baseHash;
            try (PreparedStatement s = c.prepareStatement("SELECT hash FROM audit_log WHERE seq = ?")) {
                s.setLong(1, through);
                try (ResultSet rs = s.executeQuery()) {
                    if (!rs.next()) {
                        throw new StorageException("audit entry " + through + " is missing; run parley admin audit verify", null);
                    }
                    baseHash = rs.getString(1);
                }
            }
            // Base first: the delete trigger allows removing only entries at or below the base.
            try (PreparedStatement s = c.prepareStatement("UPDATE audit_chain SET base_seq = ?, base_hash = ? WHERE id = 1")) {
                s.setLong(1, through);
                s.setString(2, baseHash);
                s.executeUpdate();
            }
            long deleted;
            try (PreparedStatement s = c.prepareStatement("DELETE FROM audit_log WHERE seq <= ?")) {
                s.setLong(1, through);
                deleted = s.executeUpdate();
            }
            Map<String, String> details = new LinkedHashMap<>();
            details.put("deleted", Long.toString(deleted));
            details.put("throughSeq", Long.toString(through));
            details.put("baseHash", baseHash);
            details.put("retention", retention);
            appendIn(c, nowMs, AuditLog.SYSTEM, AuditFeature.PURGE_ACTION, AuditHashing.canonicalDetails(details));
            return deleted;
        });
    }

    private static Row row(ResultSet rs) throws SQLException {
        return new Row(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getString(4), rs.getString(5),
                rs.getString(6), rs.getString(7));
    }
}
