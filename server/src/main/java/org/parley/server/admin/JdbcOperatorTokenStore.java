// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.admin;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.parley.server.storage.Database;

/**
 * {@link OperatorTokenStore} on SQLite or PostgreSQL (tables from {@code db/sqlite/admin.sql} and
 * {@code admin-revocation.sql}; {@code db/postgresql/V5__admin.sql} and {@code V7__admin_revocation.sql}).
 */
final class JdbcOperatorTokenStore implements OperatorTokenStore {
    private final Database db;

    JdbcOperatorTokenStore(Database db) {
        this.db = db;
    }

    @Override
    public <T> T whileFirstTokenLocked(Supplier<T> work) {
        return db.write(c -> {
            db.dialect().lock(c, "operator-tokens.first");
            return work.get();
        });
    }

    @Override
    public boolean hasAny() {
        // Inside a write (the bootstrap's), on its connection: it sees what the lock holder before
        // it committed, and on SQLite nothing else can write meanwhile.
        return db.write(c -> {
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT 1 FROM operator_tokens LIMIT 1")) {
                return rs.next();
            }
        });
    }

    @Override
    public List<StoredToken> all() {
        return db.read(c -> {
            try (Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT name, token_hash, role FROM operator_tokens"
                         + " WHERE revoked_at IS NULL ORDER BY id")) {
                List<StoredToken> out = new ArrayList<>();
                while (rs.next()) {
                    out.add(new StoredToken(rs.getString(1), rs.getBytes(2), OperatorRole.fromWire(rs.getString(3))));
                }
                return out;
            }
        });
    }

    @Override
    public List<RevokedToken> revoked() {
        return db.read(c -> {
            try (Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT name, token_hash, revoked_at FROM operator_tokens"
                         + " WHERE revoked_at IS NOT NULL ORDER BY id")) {
                List<RevokedToken> out = new ArrayList<>();
                while (rs.next()) {
                    out.add(new RevokedToken(rs.getString(1), rs.getBytes(2), rs.getLong(3)));
                }
                return out;
            }
        });
    }

    @Override
    public List<TokenInfo> list() {
        return db.read(c -> {
            try (Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT name, role, created_at, revoked_at FROM operator_tokens ORDER BY id")) {
                List<TokenInfo> out = new ArrayList<>();
                while (rs.next()) {
                    long revoked = rs.getLong(4);
                    Long revokedAt = rs.wasNull() ? null : revoked;
                    out.add(new TokenInfo(rs.getString(1), OperatorRole.fromWire(rs.getString(2)), rs.getLong(3), revokedAt));
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

    @Override
    public boolean revoke(String name, long revokedAtMs) {
        return db.write(c -> {
            try (PreparedStatement s = c.prepareStatement(
                    "UPDATE operator_tokens SET revoked_at = ? WHERE name = ? AND revoked_at IS NULL")) {
                s.setLong(1, revokedAtMs);
                s.setString(2, name);
                return s.executeUpdate() == 1;
            }
        });
    }
}
