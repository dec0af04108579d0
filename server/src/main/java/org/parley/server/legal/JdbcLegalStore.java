// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.legal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.parley.server.accounts.SubscriberHolds;
import org.parley.server.storage.Database;

/**
 * {@link LegalStore} on SQLite or PostgreSQL (tables from {@code db/sqlite/legal.sql},
 * {@code legal-order.sql} and {@code holds.sql}; {@code db/postgresql/V9__legal.sql} and
 * {@code V8__holds.sql}). {@link #lock} is what keeps decisions from several nodes in order.
 *
 * <p>Sections: the requests (insert, read, lock); decisions, reviews and production, each a
 * compare-and-set on the status so that two nodes cannot both decide; the holds; the row mapping.
 * Every write joins the register's transaction, which also holds the audit entry.
 */
final class JdbcLegalStore implements LegalStore {
    private static final String COLUMNS = "id, type, authority, reference, received, range_from, range_until,"
            + " categories, non_disclosure_until, status, review_required, registered_by, registered_at, decided_by,"
            + " decided_at, reason, outcome, produced_by, produced_at, package_sha256, reviewed_by, reviewed_at, review_note";

    private final Database db;

    JdbcLegalStore(Database db) {
        this.db = db;
    }

    @Override
    public long insert(IntakeForm form, RequestStatus status, String reason, boolean reviewRequired,
                       String registeredBy, long now) {
        return db.write(c -> {
            long id;
            try (PreparedStatement s = c.prepareStatement("INSERT INTO legal_requests (type, authority, reference,"
                    + " received, range_from, range_until, categories, non_disclosure_until, status, review_required,"
                    + " registered_by, registered_at, decided_at, reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    Statement.RETURN_GENERATED_KEYS)) {
                s.setString(1, form.type().wire());
                s.setString(2, form.authority());
                s.setString(3, form.reference());
                s.setString(4, form.received().toString());
                s.setString(5, form.scope().from().toString());
                s.setString(6, form.scope().until().toString());
                s.setString(7, categories(form.scope().categories()));
                if (form.nonDisclosureUntil() == null) {
                    s.setNull(8, Types.VARCHAR);
                } else {
                    s.setString(8, form.nonDisclosureUntil().toString());
                }
                s.setString(9, status.wire());
                s.setInt(10, reviewRequired ? 1 : 0);
                s.setString(11, registeredBy);
                s.setLong(12, now);
                // A refusal at intake is decided at intake; decided_by stays null (the policy decided).
                if (status == RequestStatus.REJECTED) {
                    s.setLong(13, now);
                } else {
                    s.setNull(13, Types.BIGINT);
                }
                if (reason == null) {
                    s.setNull(14, Types.VARCHAR);
                } else {
                    s.setString(14, reason);
                }
                s.executeUpdate();
                try (ResultSet keys = s.getGeneratedKeys()) {
                    keys.next();
                    id = keys.getLong(1);
                }
            }
            try (PreparedStatement s = c.prepareStatement("INSERT INTO legal_request_handles (request_id, handle, position) VALUES (?, ?, ?)")) {
                int position = 0;
                for (String h : form.scope().handles()) {
                    s.setLong(1, id);
                    s.setString(2, h);
                    s.setInt(3, position++);
                    s.addBatch();
                }
                s.executeBatch();
            }
            try (PreparedStatement s = c.prepareStatement("INSERT INTO legal_request_documents (request_id, sha256, position) VALUES (?, ?, ?)")) {
                int position = 0;
                for (String d : form.documentSha256()) {
                    s.setLong(1, id);
                    s.setString(2, d);
                    s.setInt(3, position++);
                    s.addBatch();
                }
                s.executeBatch();
            }
            return id;
        });
    }

    // ------------------------------------------------------------------ reading and locking requests

    @Override
    public Optional<LegalRequest> find(long id) {
        return db.read(c -> {
            List<LegalRequest> found = select(c, " WHERE id = ?", id);
            return found.isEmpty() ? Optional.empty() : Optional.of(found.getFirst());
        });
    }

    @Override
    public Optional<LegalRequest> lock(long id) {
        // Joins the caller's write transaction: the row stays locked until it commits.
        return db.write(c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT id FROM legal_requests WHERE id = ?" + db.dialect().forUpdate())) {
                s.setLong(1, id);
                try (ResultSet rs = s.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.empty();
                    }
                }
            }
            List<LegalRequest> found = select(c, " WHERE id = ?", id);
            return Optional.of(found.getFirst());
        });
    }

    @Override
    public List<LegalRequest> all() {
        return db.read(c -> select(c, " ORDER BY id DESC", null));
    }

    private static List<LegalRequest> select(Connection c, String where, Long arg) throws SQLException {
        List<LegalRequest> out = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement("SELECT " + COLUMNS + " FROM legal_requests" + where)) {
            if (arg != null) {
                s.setLong(1, arg);
            }
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    long id = rs.getLong(1);
                    Scope scope = new Scope(strings(c, "SELECT handle FROM legal_request_handles WHERE request_id = ? ORDER BY position", id),
                            LocalDate.parse(rs.getString(6)), LocalDate.parse(rs.getString(7)), categories(rs.getString(8)));
                    String nd = rs.getString(9);
                    String outcome = rs.getString(17);
                    out.add(new LegalRequest(id, RequestType.fromWire(rs.getString(2)), rs.getString(3), rs.getString(4),
                            LocalDate.parse(rs.getString(5)), scope, nd == null ? null : LocalDate.parse(nd),
                            strings(c, "SELECT sha256 FROM legal_request_documents WHERE request_id = ? ORDER BY position", id),
                            RequestStatus.fromWire(rs.getString(10)), rs.getInt(11) == 1, rs.getString(12), rs.getLong(13),
                            rs.getString(14), nullableLong(rs, 15), rs.getString(16),
                            outcome == null ? null : Outcome.fromWire(outcome), rs.getString(18), nullableLong(rs, 19),
                            rs.getString(20), rs.getString(21), nullableLong(rs, 22), rs.getString(23)));
                }
            }
        }
        return out;
    }

    // ------------------------------------------------------------------ decisions, reviews and production

    @Override
    public boolean decide(long id, RequestStatus from, RequestStatus to, String by, long at, String reason) {
        return db.write(c -> {
            try (PreparedStatement s = c.prepareStatement("UPDATE legal_requests SET status = ?, decided_by = ?,"
                    + " decided_at = ?, reason = ? WHERE id = ? AND status = ?")) {
                s.setString(1, to.wire());
                s.setString(2, by);
                s.setLong(3, at);
                s.setString(4, reason);
                s.setLong(5, id);
                s.setString(6, from.wire());
                return s.executeUpdate() == 1;
            }
        });
    }

    @Override
    public boolean reviewed(long id, String by, long at, String note) {
        return db.write(c -> {
            try (PreparedStatement s = c.prepareStatement("UPDATE legal_requests SET review_required = 0,"
                    + " reviewed_by = ?, reviewed_at = ?, review_note = ? WHERE id = ? AND review_required = 1")) {
                s.setString(1, by);
                s.setLong(2, at);
                s.setString(3, note);
                s.setLong(4, id);
                return s.executeUpdate() == 1;
            }
        });
    }

    @Override
    public boolean produced(long id, Outcome outcome, String by, long at, String packageSha256, List<String> accountIds) {
        return db.write(c -> {
            try (PreparedStatement s = c.prepareStatement("UPDATE legal_requests SET status = 'produced', outcome = ?,"
                    + " produced_by = ?, produced_at = ?, package_sha256 = ? WHERE id = ? AND status = 'approved'")) {
                s.setString(1, outcome.wire());
                s.setString(2, by);
                s.setLong(3, at);
                s.setString(4, packageSha256);
                s.setLong(5, id);
                if (s.executeUpdate() != 1) {
                    return false;
                }
            }
            try (PreparedStatement s = c.prepareStatement(
                    "INSERT INTO legal_disclosures (request_id, account_id) VALUES (?, ?) ON CONFLICT DO NOTHING")) {
                for (String account : accountIds) {
                    s.setLong(1, id);
                    s.setString(2, account);
                    s.addBatch();
                }
                s.executeBatch();
            }
            return true;
        });
    }

    @Override
    public List<Long> disclosuresAbout(String accountId) {
        return db.read(c -> {
            try (PreparedStatement s = c.prepareStatement(
                    "SELECT request_id FROM legal_disclosures WHERE account_id = ? ORDER BY request_id")) {
                s.setString(1, accountId);
                List<Long> out = new ArrayList<>();
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        out.add(rs.getLong(1));
                    }
                }
                return out;
            }
        });
    }

    // ------------------------------------------------------------------ preservation holds

    @Override
    public void placeHolds(List<Hold> holds) {
        db.write(c -> {
            try (PreparedStatement s = c.prepareStatement("INSERT INTO preservation_holds (request_id, handle,"
                    + " account_id, since_ms, until_ms, covers_of, covers_by, covers_subscriber, placed_at, expires_at)"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                for (Hold h : holds) {
                    s.setLong(1, h.requestId());
                    s.setString(2, h.handle());
                    s.setString(3, h.accountId());
                    s.setLong(4, h.sinceMs());
                    s.setLong(5, h.untilMs());
                    s.setInt(6, h.coversOf() ? 1 : 0);
                    s.setInt(7, h.coversBy() ? 1 : 0);
                    s.setInt(8, h.coversSubscriber() ? 1 : 0);
                    s.setLong(9, h.placedAt());
                    s.setLong(10, h.expiresAt());
                    s.addBatch();
                }
                s.executeBatch();
            }
            return null;
        });
    }

    @Override
    public List<Hold> holds(long requestId) {
        return db.read(c -> holdsIn(c, requestId));
    }

    @Override
    public List<Hold> holdsInWrite(long requestId) {
        // On the write's own connection: a separate reader would miss what this transaction (or,
        // on SQLite, an earlier write of the same group commit) has not committed yet.
        return db.write(c -> holdsIn(c, requestId));
    }

    private static List<Hold> holdsIn(Connection c, long requestId) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT id, request_id, handle, account_id, since_ms, until_ms,"
                + " covers_of, covers_by, covers_subscriber, placed_at, expires_at, extended, released_at"
                + " FROM preservation_holds WHERE request_id = ? ORDER BY id")) {
            s.setLong(1, requestId);
            List<Hold> out = new ArrayList<>();
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    out.add(new Hold(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getString(4), rs.getLong(5),
                            rs.getLong(6), rs.getInt(7) == 1, rs.getInt(8) == 1, rs.getInt(9) == 1, rs.getLong(10),
                            rs.getLong(11), rs.getInt(12) == 1, nullableLong(rs, 13)));
                }
            }
            return out;
        }
    }

    @Override
    public SubscriberHolds.Held activeHoldsOn(String accountId, String handle, long now) {
        return db.read(c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT COUNT(*), COALESCE(MAX(covers_subscriber), 0)"
                    + " FROM preservation_holds WHERE released_at IS NULL AND expires_at > ?"
                    + " AND (account_id = ? OR handle = ?)")) {
                s.setLong(1, now);
                s.setString(2, accountId);
                s.setString(3, handle);
                try (ResultSet rs = s.executeQuery()) {
                    rs.next();
                    return new SubscriberHolds.Held(rs.getLong(1) > 0, rs.getInt(2) == 1);
                }
            }
        });
    }

    @Override
    public int extendHolds(long requestId, long extensionMs, long now) {
        return db.write(c -> {
            try (PreparedStatement s = c.prepareStatement("UPDATE preservation_holds SET expires_at = expires_at + ?,"
                    + " extended = 1 WHERE request_id = ? AND released_at IS NULL AND extended = 0 AND expires_at > ?")) {
                s.setLong(1, extensionMs);
                s.setLong(2, requestId);
                s.setLong(3, now);
                return s.executeUpdate();
            }
        });
    }

    @Override
    public int releaseHolds(long requestId, long now) {
        return db.write(c -> {
            try (PreparedStatement s = c.prepareStatement(
                    "UPDATE preservation_holds SET released_at = ? WHERE request_id = ? AND released_at IS NULL")) {
                s.setLong(1, now);
                s.setLong(2, requestId);
                return s.executeUpdate();
            }
        });
    }

    // ------------------------------------------------------------------ row mapping

    private static List<String> strings(Connection c, String sql, long id) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(sql)) {
            s.setLong(1, id);
            List<String> out = new ArrayList<>();
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
            return out;
        }
    }

    private static Long nullableLong(ResultSet rs, int column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? null : v;
    }

    static String categories(Set<LegalCategory> categories) {
        return categories.stream().sorted().map(LegalCategory::wire).collect(Collectors.joining(","));
    }

    static Set<LegalCategory> categories(String stored) {
        Set<LegalCategory> out = EnumSet.noneOf(LegalCategory.class);
        Arrays.stream(stored.split(",")).filter(s -> !s.isBlank()).map(LegalCategory::fromWire).forEach(out::add);
        return out;
    }
}
