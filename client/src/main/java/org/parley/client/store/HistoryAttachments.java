// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.client.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;

/**
 * The attachment pointers of history entries ({@code history_attachments}), each as its JSON: the
 * store does not interpret them, the client's attachment code does.
 */
public final class HistoryAttachments {
    private final StateDatabase db;

    HistoryAttachments(StateDatabase db) {
        this.db = db;
    }

    /** Stores the pointers of entry {@code historyId}, in order; joins the caller's transaction. */
    public void save(long historyId, List<String> pointers) {
        if (pointers.isEmpty()) {
            return;
        }
        db.sql(c -> {
            try (PreparedStatement ps = db.prepare(
                    "INSERT INTO history_attachments (history_id, position, pointer) VALUES (?, ?, ?)")) {
                for (int i = 0; i < pointers.size(); i++) {
                    ps.setLong(1, historyId);
                    ps.setInt(2, i);
                    ps.setString(3, pointers.get(i));
                    ps.executeUpdate();
                }
            }
            return null;
        });
    }

    /** The pointers of entry {@code historyId}, in order; empty when it has none. */
    public List<String> of(long historyId) {
        return db.sql(c -> {
            try (PreparedStatement ps = db.prepare(
                    "SELECT pointer FROM history_attachments WHERE history_id = ? ORDER BY position")) {
                ps.setLong(1, historyId);
                List<String> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(rs.getString(1));
                    }
                }
                return out;
            }
        });
    }
}
