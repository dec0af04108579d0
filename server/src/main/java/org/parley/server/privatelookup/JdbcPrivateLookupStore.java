// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.privatelookup;

import java.math.BigInteger;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import org.parley.protocol.oprf.Oprf;
import org.parley.server.lookuplog.BucketFetchLog;
import org.parley.server.lookuplog.LookupLog;
import org.parley.server.storage.Database;
import org.parley.server.storage.Filter;

/**
 * {@link PrivateLookupStore} on SQLite or PostgreSQL ({@code db/sqlite/privatelookup.sql},
 * {@code db/postgresql/V50__privatelookup.sql}), and the lookup log's view of the bucket fetches
 * ({@link BucketFetchLog}). The deletes read {@code preservation_holds} ({@code holds.sql},
 * {@code V8__holds.sql}) exactly as the lookup log's do: a hold on lookups by an account keeps its
 * bucket fetches as it keeps its plain lookups.
 */
final class JdbcPrivateLookupStore implements PrivateLookupStore, BucketFetchLog {
    /**
     * The hold test of {@code JdbcLookupLogStore}'s purge, for the one kind of hold a bucket fetch can
     * fall under: lookups BY an account (covers_by). A hold on lookups OF a handle cannot keep a bucket
     * fetch, which never names a handle.
     */
    private static final String NOT_HELD = " AND NOT EXISTS (SELECT 1 FROM preservation_holds h"
            + " WHERE h.released_at IS NULL AND h.expires_at > ?"
            + " AND private_lookup_log.time_ms >= h.since_ms AND private_lookup_log.time_ms < h.until_ms"
            + " AND h.covers_by = 1 AND private_lookup_log.requester_account_id = h.account_id)";

    private final Database db;

    JdbcPrivateLookupStore(Database db) {
        this.db = db;
    }

    @Override
    public List<OprfKey> keys() {
        return db.read(c -> {
            List<OprfKey> out = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement(
                    "SELECT key_id, secret, created_ms FROM oprf_keys ORDER BY created_ms DESC, key_id");
                 ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    out.add(new OprfKey(rs.getString(1), new BigInteger(1, rs.getBytes(2)), rs.getLong(3)));
                }
            }
            return out;
        });
    }

    @Override
    public void addKey(OprfKey key) {
        db.write(c -> {
            try (PreparedStatement s = c.prepareStatement(
                    "INSERT INTO oprf_keys (key_id, secret, created_ms) VALUES (?, ?, ?)")) {
                s.setString(1, key.id());
                s.setBytes(2, Oprf.serializeScalar(key.secret()));
                s.setLong(3, key.createdMs());
                s.executeUpdate();
            }
            return null;
        });
    }

    @Override
    public void deleteKey(String keyId) {
        db.write(c -> {
            try (PreparedStatement s = c.prepareStatement("DELETE FROM oprf_keys WHERE key_id = ?")) {
                s.setString(1, keyId);
                s.executeUpdate();
            }
            return null;
        });
    }

    @Override
    public void appendLog(LogRow row) {
        db.write(c -> {
            try (PreparedStatement s = c.prepareStatement("INSERT INTO private_lookup_log (time_ms, requester_account_id,"
                    + " requester_device_id, key_id, prefix_bits, bucket, client_ip) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
                s.setLong(1, row.timeMs());
                s.setString(2, row.requesterAccountId());
                s.setInt(3, row.requesterDeviceId());
                s.setString(4, row.keyId());
                s.setInt(5, row.prefixBits());
                s.setInt(6, row.bucket());
                if (row.clientIp() == null) {
                    s.setNull(7, Types.VARCHAR);
                } else {
                    s.setString(7, row.clientIp());
                }
                s.executeUpdate();
            }
            return null;
        });
    }

    @Override
    public List<LogRow> log(int limit) {
        return db.read(c -> {
            List<LogRow> out = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement("SELECT time_ms, requester_account_id, requester_device_id,"
                    + " key_id, prefix_bits, bucket, client_ip FROM private_lookup_log ORDER BY time_ms, id LIMIT ?")) {
                s.setInt(1, limit);
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        out.add(new LogRow(rs.getLong(1), rs.getString(2), rs.getInt(3), rs.getString(4), rs.getInt(5),
                                rs.getInt(6), rs.getString(7)));
                    }
                }
            }
            return out;
        });
    }

    @Override
    public long deleteLogBefore(long cutoffMs, long nowMs) {
        // The hold test runs in the DELETE itself, so a hold placed before this transaction keeps its rows.
        return db.write(c -> {
            try (PreparedStatement s = c.prepareStatement("DELETE FROM private_lookup_log WHERE time_ms < ?" + NOT_HELD)) {
                s.setLong(1, cutoffMs);
                s.setLong(2, nowMs);
                return (long) s.executeUpdate();
            }
        });
    }

    @Override
    public long deleteMadeBy(String requesterAccountId, long nowMs) {
        return db.write(c -> {
            try (PreparedStatement s = c.prepareStatement(
                    "DELETE FROM private_lookup_log WHERE requester_account_id = ?" + NOT_HELD)) {
                s.setString(1, requesterAccountId);
                s.setLong(2, nowMs);
                return (long) s.executeUpdate();
            }
        });
    }

    @Override
    public List<LookupLog.LoggedLookup> find(String requesterAccountId, Long sinceMs, Long untilMs, int limit) {
        Filter filter = new Filter("SELECT id, time_ms, requester_account_id, requester_device_id,"
                + " key_id, prefix_bits, bucket, client_ip FROM private_lookup_log")
                .equal("requester_account_id", requesterAccountId).atLeast("time_ms", sinceMs).below("time_ms", untilMs);
        return db.read(c -> {
            try (PreparedStatement s = filter.prepare(c, "ORDER BY time_ms, id LIMIT ?", limit)) {
                List<LookupLog.LoggedLookup> out = new ArrayList<>();
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        out.add(LookupLog.LoggedLookup.bucketFetch(rs.getLong(1), rs.getLong(2), rs.getString(3),
                                rs.getInt(4), rs.getString(8), new LookupLog.Bucket(rs.getString(5), rs.getInt(6),
                                        rs.getInt(7))));
                    }
                }
                return out;
            }
        });
    }
}
