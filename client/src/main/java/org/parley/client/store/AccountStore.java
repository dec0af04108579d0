// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.client.store;

import java.net.URI;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Optional;

/** The single {@code account} row: which server and handle this home belongs to, and its credentials. */
public final class AccountStore {
    private final StateDatabase db;

    public AccountStore(StateDatabase db) {
        this.db = db;
    }

    public Optional<AccountState> load() {
        return db.sql(c -> {
            try (PreparedStatement ps = db.prepare("""
                    SELECT server_url, handle, account_id, device_id, password, pending_session_id
                    FROM account WHERE id = 1""");
                    ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                int deviceId = rs.getInt(4);
                Integer device = rs.wasNull() ? null : deviceId;
                return Optional.of(new AccountState(URI.create(rs.getString(1)), rs.getString(2), rs.getString(3),
                        device, rs.getString(5), rs.getString(6)));
            }
        });
    }

    /** Forgets the registration (after the account was deleted on the server): the home is unregistered again. */
    public void forget() {
        db.update(c -> {
            try (PreparedStatement ps = db.prepare("DELETE FROM account WHERE id = 1")) {
                ps.executeUpdate();
            }
        });
    }

    public void save(AccountState state) {
        db.update(c -> {
            try (PreparedStatement ps = db.prepare("""
                    INSERT OR REPLACE INTO account (id, server_url, handle, account_id, device_id, password, pending_session_id)
                    VALUES (1, ?, ?, ?, ?, ?, ?)""")) {
                ps.setString(1, state.serverUrl().toString());
                ps.setString(2, state.handle());
                ps.setString(3, state.accountId());
                ps.setObject(4, state.deviceId());
                ps.setString(5, state.password());
                ps.setString(6, state.pendingSessionId());
                ps.executeUpdate();
            }
        });
    }
}
