// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.attachments;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.parley.server.storage.Database;

/** The {@code attachments} table ({@code db/sqlite/attachments.sql}, {@code V40__attachments.sql}) on either backend. */
final class JdbcAttachmentStore {
    private static final String COLUMNS =
            "id, upload_token_hash, download_token_hash, size, store_session, created_at, completed_at, expires_at";

    private final Database db;

    JdbcAttachmentStore(Database db) {
        this.db = db;
    }

    void insert(AttachmentRow row) {
        db.write(c -> {
            try (PreparedStatement s = c.prepareStatement("INSERT INTO attachments (" + COLUMNS
                    + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
                s.setString(1, row.id());
                s.setBytes(2, row.uploadTokenHash());
                s.setBytes(3, row.downloadTokenHash());
                s.setLong(4, row.size());
                s.setString(5, row.session());
                s.setLong(6, row.createdAt());
                if (row.completedAt() == null) {
                    s.setNull(7, Types.BIGINT);
                } else {
                    s.setLong(7, row.completedAt());
                }
                s.setLong(8, row.expiresAt());
                return s.executeUpdate();
            }
        });
    }

    Optional<AttachmentRow> find(String id) {
        return db.read(c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT " + COLUMNS + " FROM attachments WHERE id = ?")) {
                s.setString(1, id);
                try (ResultSet rs = s.executeQuery()) {
                    return rs.next() ? Optional.of(row(rs)) : Optional.empty();
                }
            }
        });
    }

    /** Marks the upload finished; the blob now lives until {@code expiresAt}. */
    void complete(String id, long completedAt, long expiresAt) {
        update("UPDATE attachments SET completed_at = ?, expires_at = ? WHERE id = ?", completedAt, expiresAt, id);
    }

    /** Moves a finished blob's expiry; false when there is no such finished blob. */
    boolean renew(String id, long expiresAt) {
        return update("UPDATE attachments SET expires_at = ? WHERE id = ? AND completed_at IS NOT NULL",
                expiresAt, null, id) == 1;
    }

    /** Up to {@code limit} rows that expired at or before {@code now}, finished or not. */
    List<AttachmentRow> expired(long now, int limit) {
        return db.read(c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT " + COLUMNS
                    + " FROM attachments WHERE expires_at <= ? ORDER BY expires_at LIMIT ?")) {
                s.setLong(1, now);
                s.setInt(2, limit);
                List<AttachmentRow> out = new ArrayList<>();
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        out.add(row(rs));
                    }
                }
                return out;
            }
        });
    }

    void delete(String id) {
        db.write(c -> {
            try (PreparedStatement s = c.prepareStatement("DELETE FROM attachments WHERE id = ?")) {
                s.setString(1, id);
                return s.executeUpdate();
            }
        });
    }

    private int update(String sql, long first, Long second, String id) {
        return db.write(c -> {
            try (PreparedStatement s = c.prepareStatement(sql)) {
                int i = 1;
                s.setLong(i++, first);
                if (second != null) {
                    s.setLong(i++, second);
                }
                s.setString(i, id);
                return s.executeUpdate();
            }
        });
    }

    private static AttachmentRow row(ResultSet rs) throws SQLException {
        long completed = rs.getLong(7);
        Long completedAt = rs.wasNull() ? null : completed;
        return new AttachmentRow(rs.getString(1), rs.getBytes(2), rs.getBytes(3), rs.getLong(4), rs.getString(5),
                rs.getLong(6), completedAt, rs.getLong(8));
    }
}
