// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.sealedsender;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Optional;
import org.parley.server.storage.Database;

/** {@link AccessKeyStore} on {@code sealed_sender_access} ({@code sealedsender.sql}, {@code V56__sealed_sender.sql}). */
final class JdbcAccessKeyStore implements AccessKeyStore {
    private final Database db;

    JdbcAccessKeyStore(Database db) {
        this.db = db;
    }

    @Override
    public Optional<AccessKey> find(String accountId) {
        return db.read(c -> {
            try (PreparedStatement s = c.prepareStatement(
                    "SELECT access_key, unrestricted FROM sealed_sender_access WHERE account_id = ?")) {
                s.setString(1, accountId);
                try (ResultSet rs = s.executeQuery()) {
                    return rs.next() ? Optional.of(new AccessKey(rs.getBytes(1), rs.getBoolean(2))) : Optional.<AccessKey>empty();
                }
            }
        });
    }

    @Override
    public void put(String accountId, AccessKey key, long now) {
        db.write(c -> {
            try (PreparedStatement s = c.prepareStatement("INSERT INTO sealed_sender_access "
                    + "(account_id, access_key, unrestricted, updated_at) VALUES (?, ?, ?, ?) ON CONFLICT (account_id) "
                    + "DO UPDATE SET access_key = excluded.access_key, unrestricted = excluded.unrestricted, "
                    + "updated_at = excluded.updated_at")) {
                s.setString(1, accountId);
                s.setBytes(2, key.accessKey());
                s.setBoolean(3, key.unrestricted());
                s.setLong(4, now);
                return s.executeUpdate();
            }
        });
    }
}
