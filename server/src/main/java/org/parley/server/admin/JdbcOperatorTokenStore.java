// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.admin;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.parley.server.storage.Database;

/** {@link OperatorTokenStore} on SQLite or PostgreSQL (table from {@code db/sqlite/admin.sql}, {@code db/postgresql/V5__admin.sql}). */
final class JdbcOperatorTokenStore implements OperatorTokenStore {
    private final Database db;

    JdbcOperatorTokenStore(Database db) {
        this.db = db;
    }

    @Override
    public boolean hasAny() {
        return db.read(c -> {
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT 1 FROM operator_tokens LIMIT 1")) {
                return rs.next();
            }
        });
    }

    @Override
    public List<StoredToken> all() {
        return db.read(c -> {
            try (Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT name, token_hash, role FROM operator_tokens ORDER BY id")) {
                List<StoredToken> out = new ArrayList<>();
                while (rs.next()) {
                    out.add(new StoredToken(rs.getString(1), rs.getBytes(2), OperatorRole.fromWire(rs.getString(3))));
                }
                return out;
            }
        });
    }

    @Override
    public void insert(StoredToken token, long createdAtMs) {
        db.write(c -> {
            try (PreparedStatement s = c.prepareStatement(
                    "INSERT INTO operator_tokens (name, token_hash, role, created_at) VALUES (?, ?, ?, ?)")) {
                s.setString(1, token.name());
                s.setBytes(2, token.hash());
                s.setString(3, token.role().wire());
                s.setLong(4, createdAtMs);
                s.executeUpdate();
            }
            return null;
        });
    }
}
