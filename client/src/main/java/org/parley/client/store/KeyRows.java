// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.client.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;

/**
 * The single-row statements the prekey stores share, each keyed by one integer id. Every call is one
 * {@link StateDatabase} transaction, or joins the caller's.
 */
final class KeyRows {
    private KeyRows() {}

    /** The first column of the row {@code sql} selects for {@code id}, or null when there is none. */
    static byte[] loadBlob(StateDatabase db, String sql, int id) {
        return db.sql(c -> {
            try (PreparedStatement ps = db.prepare(sql)) {
                ps.setInt(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? rs.getBytes(1) : null;
                }
            }
        });
    }

    /** Runs {@code sql} with {@code id} and {@code record} as its two parameters. */
    static void upsert(StateDatabase db, String sql, int id, byte[] record) {
        db.update(c -> {
            try (PreparedStatement ps = db.prepare(sql)) {
                ps.setInt(1, id);
                ps.setBytes(2, record);
                ps.executeUpdate();
            }
        });
    }

    /** Runs {@code sql} with {@code id} as its one parameter. */
    static void delete(StateDatabase db, String sql, int id) {
        db.update(c -> {
            try (PreparedStatement ps = db.prepare(sql)) {
                ps.setInt(1, id);
                ps.executeUpdate();
            }
        });
    }

    /** The integer {@code sql} selects, or 0 when it selects no row. */
    static int count(StateDatabase db, String sql) {
        return db.sql(c -> {
            try (PreparedStatement ps = db.prepare(sql); ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getInt(1) : 0;
            }
        });
    }
}
