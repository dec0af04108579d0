// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.lookuplog;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import org.parley.protocol.Route;
import org.parley.server.storage.Database;
import org.parley.server.storage.Dialect;
import org.parley.server.storage.Filter;

/**
 * {@link LookupLogStore} on SQLite or PostgreSQL (table from {@code db/sqlite/lookuplog.sql},
 * {@code db/postgresql/V4__lookuplog.sql}; the purge also reads {@code preservation_holds} from
 * {@code holds.sql} / {@code V8__holds.sql}).
 */
final class JdbcLookupLogStore implements LookupLogStore {
    private static final int COLUMNS = 6;
    /** Rows per multi-row INSERT: 300 parameters, far under either backend's limit. */
    private static final int CHUNK_ROWS = 50;
    private static final String INSERT_INTO = "INSERT INTO lookup_log"
            + " (time_ms, requester_account_id, requester_device_id, queried_handle, route, client_ip) VALUES ";
    private static final String INSERT_ONE = INSERT_INTO + "(?, ?, ?, ?, ?, ?)";
    private static final String CHUNK_INSERT = INSERT_INTO
            + String.join(", ", java.util.Collections.nCopies(CHUNK_ROWS, "(?, ?, ?, ?, ?, ?)"));

    private final Database db;

    JdbcLookupLogStore(Database db) {
        this.db = db;
    }

    @Override
    public void append(List<Row> rows) {
        if (rows.isEmpty()) {
            return;
        }
        db.write(c -> {
            // PostgreSQL: full chunks go as one multi-row INSERT each, the rest row by row (two
            // statement texts only, so both stay in the connection's statement cache). SQLite: row
            // by row in one JDBC batch, because there the multi-row INSERT costs about twice the CPU
            // per row of the batched one-row INSERT (30 against 15 µs at 50 rows a transaction,
            // docs/performance.md, "Lookup log").
            int i = 0;
            if (db.dialect() == Dialect.POSTGRESQL && rows.size() >= CHUNK_ROWS) {
                try (PreparedStatement s = c.prepareStatement(CHUNK_INSERT)) {
                    for (; i + CHUNK_ROWS <= rows.size(); i += CHUNK_ROWS) {
                        for (int r = 0; r < CHUNK_ROWS; r++) {
                            bind(s, r * COLUMNS, rows.get(i + r));
                        }
                        s.executeUpdate();
                    }
                }
            }
            if (i < rows.size()) {
                try (PreparedStatement s = c.prepareStatement(INSERT_ONE)) {
                    for (; i < rows.size(); i++) {
                        bind(s, 0, rows.get(i));
                        s.addBatch();
                    }
                    s.executeBatch();
                }
            }
            return null;
        });
    }

    private static void bind(PreparedStatement s, int offset, Row row) throws SQLException {
        s.setLong(offset + 1, row.timeMs());
        s.setString(offset + 2, row.requesterAccountId());
        s.setInt(offset + 3, row.requesterDeviceId());
        s.setString(offset + 4, row.queriedHandle());
        s.setString(offset + 5, row.route());
        if (row.clientIp() == null) {
            s.setNull(offset + 6, Types.VARCHAR);
        } else {
            s.setString(offset + 6, row.clientIp());
        }
    }

    @Override
    public long deleteBefore(long cutoffMs, long nowMs) {
        // Held rows stay: the NOT EXISTS runs in the same statement as the delete, so a hold placed
        // before this transaction can never lose a row to a purge racing it.
        return db.write(c -> {
            try (PreparedStatement s = c.prepareStatement("DELETE FROM lookup_log WHERE time_ms < ?"
                    + " AND NOT EXISTS (SELECT 1 FROM preservation_holds h"
                    + " WHERE h.released_at IS NULL AND h.expires_at > ?"
                    + " AND lookup_log.time_ms >= h.since_ms AND lookup_log.time_ms < h.until_ms"
                    + " AND ((h.covers_of = 1 AND lookup_log.queried_handle = h.handle)"
                    + " OR (h.covers_by = 1 AND lookup_log.requester_account_id = h.account_id)))")) {
                s.setLong(1, cutoffMs);
                s.setLong(2, nowMs);
                return (long) s.executeUpdate();
            }
        });
    }

    @Override
    public long deleteMadeBy(String requesterAccountId, long nowMs) {
        // The same hold test as the purge, for the entries the account made (covers_by).
        return db.write(c -> {
            try (PreparedStatement s = c.prepareStatement("DELETE FROM lookup_log WHERE requester_account_id = ?"
                    + " AND NOT EXISTS (SELECT 1 FROM preservation_holds h"
                    + " WHERE h.released_at IS NULL AND h.expires_at > ?"
                    + " AND lookup_log.time_ms >= h.since_ms AND lookup_log.time_ms < h.until_ms"
                    + " AND h.covers_by = 1 AND lookup_log.requester_account_id = h.account_id)")) {
                s.setString(1, requesterAccountId);
                s.setLong(2, nowMs);
                return (long) s.executeUpdate();
            }
        });
    }

    @Override
    public List<LookupLog.LoggedLookup> find(String queriedHandle, String requesterAccountId, Long sinceMs,
                                             Long untilMs, int limit) {
        Filter filter = new Filter("SELECT id, time_ms, requester_account_id, requester_device_id,"
                + " queried_handle, route, client_ip FROM lookup_log")
                .equal("queried_handle", queriedHandle).equal("requester_account_id", requesterAccountId)
                .atLeast("time_ms", sinceMs).below("time_ms", untilMs);
        return db.read(c -> {
            try (PreparedStatement s = filter.prepare(c, "ORDER BY time_ms, id LIMIT ?", limit)) {
                List<LookupLog.LoggedLookup> out = new ArrayList<>();
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        out.add(new LookupLog.LoggedLookup(rs.getLong(1), rs.getLong(2), rs.getString(3),
                                rs.getInt(4), rs.getString(5), Route.fromWire(rs.getString(6)), rs.getString(7)));
                    }
                }
                return out;
            }
        });
    }
}
