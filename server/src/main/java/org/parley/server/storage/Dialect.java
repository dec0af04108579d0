// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.storage;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Where SQLite and PostgreSQL need different SQL. Everything else in the stores is portable.
 *
 * <p>The differences are all about concurrency. SQLite runs every write on one connection, one
 * after another, so a read-modify-write inside {@link Database#write} can never interleave with
 * another. PostgreSQL runs writes from many connections and many nodes at once, so the same code
 * must lock what it reads before deciding.
 */
public enum Dialect {
    SQLITE,
    POSTGRESQL;

    /**
     * Appended to a {@code SELECT} inside a write whose rows the transaction goes on to change: on
     * PostgreSQL it locks them until commit (and re-reads the newest committed version after a
     * wait); SQLite has no row locks and needs none.
     */
    public String forUpdate() {
        return this == POSTGRESQL ? " FOR UPDATE" : "";
    }

    /**
     * Appended to a {@code SELECT} inside a write that relies on its rows staying: on PostgreSQL
     * they cannot be deleted (or their key changed) until this transaction ends, while other
     * readers and non-key updates go on. Empty on SQLite.
     */
    public String forKeyShare() {
        return this == POSTGRESQL ? " FOR KEY SHARE" : "";
    }

    /**
     * Appended to a {@code SELECT ... LIMIT n} that claims rows any one of which will do (a one-time
     * prekey): concurrent transactions each lock a different row instead of queueing for the same
     * one. Empty on SQLite.
     */
    public String forUpdateSkipLocked() {
        return this == POSTGRESQL ? " FOR UPDATE SKIP LOCKED" : "";
    }

    /**
     * Makes write transactions that lock the same {@code name} run one after another: the lock is
     * held until this transaction ends. For a decision about something that has no row to lock yet
     * (a handle being registered, the sessions a handle started). A PostgreSQL transaction-scoped
     * advisory lock; nothing on SQLite, where writes already run one at a time.
     */
    public void lock(Connection c, String name) throws SQLException {
        if (this == SQLITE) {
            return;
        }
        try (PreparedStatement s = c.prepareStatement("SELECT pg_advisory_xact_lock(?)")) {
            s.setLong(1, lockKey(name));
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
            }
        }
    }

    /**
     * {@link #lock} for every name of {@code names}, in their iteration order, in one round trip on
     * PostgreSQL (a send batch may lock hundreds of queues). Nothing on SQLite.
     */
    public void lockAll(Connection c, java.util.SequencedCollection<String> names) throws SQLException {
        if (this == SQLITE || names.isEmpty()) {
            return;
        }
        Long[] keys = names.stream().map(Dialect::lockKey).toArray(Long[]::new);
        // Volatile functions in the select list run after ORDER BY (PostgreSQL 9.6 and later), so
        // the locks are taken in the given order, as a loop of lock() calls would take them.
        try (PreparedStatement s = c.prepareStatement("SELECT pg_advisory_xact_lock(k) "
                + "FROM unnest(?::bigint[]) WITH ORDINALITY AS u(k, n) ORDER BY n")) {
            s.setArray(1, c.createArrayOf("bigint", keys));
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    // Each row is one lock taken.
                }
            }
        }
    }

    /**
     * The 64-bit advisory lock key of {@code name}: the first 8 bytes of its SHA-256, so every node
     * derives the same key. A collision between two names only makes them wait for each other.
     */
    static long lockKey(String name) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(("parley:" + name).getBytes(StandardCharsets.UTF_8));
            long key = 0;
            for (int i = 0; i < 8; i++) {
                key = (key << 8) | (digest[i] & 0xFF);
            }
            return key;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from the JDK", e);
        }
    }
}
