// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.client.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;

/** Hands out prekey ids from the counters kept in the {@code meta} table, one counter per {@link KeyIdSpace}. */
final class KeyIdAllocator {
    private final StateDatabase db;

    KeyIdAllocator(StateDatabase db) {
        this.db = db;
    }

    /**
     * Reserves {@code count} fresh ids in {@code space}; ids run from 1 to 0xFFFFFF and then wrap. Reading
     * and advancing the counter is one transaction, so no two callers get the same id.
     */
    List<Integer> allocate(KeyIdSpace space, int count) {
        return db.sql(c -> {
            int next = 1;
            try (PreparedStatement ps = db.prepare("SELECT value FROM meta WHERE key = ?")) {
                ps.setString(1, space.metaKey);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        next = rs.getInt(1);
                    }
                }
            }
            List<Integer> ids = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                ids.add(next);
                next = next >= KeyIdSpace.MAX_ID ? 1 : next + 1;
            }
            try (PreparedStatement ps = db.prepare(
                    "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value")) {
                ps.setString(1, space.metaKey);
                ps.setInt(2, next);
                ps.executeUpdate();
            }
            return ids;
        });
    }
}
