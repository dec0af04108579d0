// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.client.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.util.Optional;

/**
 * Handles this device has seen resolved to account ids, from lookups and from received envelopes. Used to
 * name the owner of an account id (an identity change, a safety number), never to skip a lookup before a
 * send: devices change, and the lookup is what tells.
 */
public final class ContactStore {
    private final StateDatabase db;
    private final Clock clock;

    public ContactStore(StateDatabase db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    public void remember(String handle, String accountId) {
        db.update(c -> {
            try (PreparedStatement ps = db.prepare("""
                    INSERT INTO contacts (handle, account_id, updated_at) VALUES (?, ?, ?)
                    ON CONFLICT (handle) DO UPDATE SET account_id = excluded.account_id, updated_at = excluded.updated_at""")) {
                ps.setString(1, handle);
                ps.setString(2, accountId);
                ps.setLong(3, clock.millis());
                ps.executeUpdate();
            }
        });
    }

    /** Unknown handles (no account any more) are forgotten so they cannot name a recycled account id. */
    public void forget(String handle) {
        db.update(c -> {
            try (PreparedStatement ps = db.prepare("DELETE FROM contacts WHERE handle = ?")) {
                ps.setString(1, handle);
                ps.executeUpdate();
            }
        });
    }

    public Optional<String> accountIdOf(String handle) {
        return query("SELECT account_id FROM contacts WHERE handle = ?", handle);
    }

    /** The most recently seen handle of an account. */
    public Optional<String> handleOf(String accountId) {
        return query("SELECT handle FROM contacts WHERE account_id = ? ORDER BY updated_at DESC LIMIT 1", accountId);
    }

    private Optional<String> query(String sql, String key) {
        return db.sql(c -> {
            try (PreparedStatement ps = db.prepare(sql)) {
                ps.setString(1, key);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(rs.getString(1)) : Optional.<String>empty();
                }
            }
        });
    }
}
