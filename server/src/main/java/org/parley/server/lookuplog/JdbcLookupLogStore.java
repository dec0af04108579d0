// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.lookuplog;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import org.parley.protocol.Route;
import org.parley.server.storage.Database;

/** {@link LookupLogStore} on SQLite or PostgreSQL (table from {@code db/sqlite/lookuplog.sql}, {@code db/postgresql/V4__lookuplog.sql}). */
final class JdbcLookupLogStore implements LookupLogStore {
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
            try (PreparedStatement s = c.prepareStatement("INSERT INTO lookup_log"
                    + " (time_ms, requester_account_id, requester_device_id, queried_handle, route, client_ip)"
                    + " VALUES (?, ?, ?, ?, ?, ?)")) {
                for (Row row : rows) {
                    s.setLong(1, row.timeMs());
                    s.setString(2, row.requesterAccountId());
                    s.setInt(3, row.requesterDeviceId());
                    s.setString(4, row.queriedHandle());
                    s.setString(5, row.route());
                    if (row.clientIp() == null) {
                        s.setNull(6, Types.VARCHAR);
                    } else {
                        s.setString(6, row.clientIp());
                    }
                    s.addBatch();
                }
                s.executeBatch();
            }
            return null;
        });
    }

    @Override
    public long deleteBefore(long cutoffMs) {
        return db.write(c -> {
            try (PreparedStatement s = c.prepareStatement("DELETE FROM lookup_log WHERE time_ms < ?")) {
                s.setLong(1, cutoffMs);
                return (long) s.executeUpdate();
            }
        });
    }

    @Override
    public List<LookupLog.LoggedLookup> find(String queriedHandle, String requesterAccountId, Long sinceMs,
                                             Long untilMs, int limit) {
        StringBuilder sql = new StringBuilder("SELECT id, time_ms, requester_account_id, requester_device_id,"
                + " queried_handle, route, client_ip FROM lookup_log WHERE 1 = 1");
        List<Object> args = new ArrayList<>();
        if (queriedHandle != null) {
            sql.append(" AND queried_handle = ?");
            args.add(queriedHandle);
        }
        if (requesterAccountId != null) {
            sql.append(" AND requester_account_id = ?");
            args.add(requesterAccountId);
        }
        if (sinceMs != null) {
            sql.append(" AND time_ms >= ?");
            args.add(sinceMs);
        }
        if (untilMs != null) {
            sql.append(" AND time_ms < ?");
            args.add(untilMs);
        }
        sql.append(" ORDER BY time_ms, id LIMIT ?");
        args.add(limit);
        return db.read(c -> {
            try (PreparedStatement s = c.prepareStatement(sql.toString())) {
                for (int i = 0; i < args.size(); i++) {
                    s.setObject(i + 1, args.get(i));
                }
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
