// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.sms;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.OptionalLong;
import org.parley.server.storage.Database;

/** Which accounts turned SMS fallback on ({@code sms_opt_ins}); no row means off. */
final class JdbcSmsOptIns {
    private final Database db;

    JdbcSmsOptIns(Database db) {
        this.db = db;
    }

    /** When the account turned SMS fallback on; empty when it is off. */
    OptionalLong enabledAt(String accountId) {
        return db.read(c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT enabled_at FROM sms_opt_ins WHERE account_id = ?")) {
                s.setString(1, accountId);
                try (ResultSet rs = s.executeQuery()) {
                    return rs.next() ? OptionalLong.of(rs.getLong(1)) : OptionalLong.empty();
                }
            }
        });
    }

    /** Turns it on (keeping the first time it was turned on) or off (deleting the row). */
    void set(String accountId, boolean enabled, long now) {
        db.write(c -> {
            try (PreparedStatement s = c.prepareStatement(enabled
                    ? "INSERT INTO sms_opt_ins (account_id, enabled_at) VALUES (?, ?) ON CONFLICT (account_id) DO NOTHING"
                    : "DELETE FROM sms_opt_ins WHERE account_id = ?")) {
                s.setString(1, accountId);
                if (enabled) {
                    s.setLong(2, now);
                }
                return s.executeUpdate();
            }
        });
    }
}
