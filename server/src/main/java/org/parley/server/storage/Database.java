// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.storage;

import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Collection;
import java.util.List;

/**
 * The relational store every feature keeps its tables in: embedded SQLite ({@link SqliteDatabase},
 * one node) or PostgreSQL ({@link PostgresDatabase}, any number of nodes sharing one database).
 *
 * <p>Feature stores speak only through {@link #read} and {@link #write} and write portable SQL
 * ({@code INSERT ... ON CONFLICT}, {@code RETURNING}); the few places where the backends truly
 * differ go through {@link #dialect()}.
 */
public interface Database extends AutoCloseable {

    /** Work that may throw {@link SQLException}. */
    @FunctionalInterface
    interface SqlWork<T> {
        T run(Connection connection) throws SQLException;
    }

    /**
     * Runs {@code work} in a write transaction and returns once it is committed: its changes all
     * commit or, when it throws, none do. A write issued from inside another write's work joins it.
     *
     * <p>On PostgreSQL other nodes write at the same time and a transaction that lost a
     * serialization conflict or a deadlock is run again, so {@code work} must have no effect outside
     * the database (or one that is harmless to repeat).
     */
    <T> T write(SqlWork<T> work);

    /**
     * As {@link #write}, for small writes that arrive many at a time (the sends): {@code work} may
     * share one transaction and one commit with other writes issued at the same moment, each inside
     * its own savepoint, so it still commits all or nothing and a failing one does not fail the
     * others. It returns only after the commit that holds it. SQLite shares every write's commit
     * anyway; PostgreSQL runs these on one writer connection ({@link GroupCommitWriter}), so one WAL
     * flush carries many of them. The locks {@code work} takes are held until that shared commit;
     * a piece that loses a deadlock or a serialization conflict is rolled back to its savepoint
     * and run again in a transaction of its own, so {@code work} must be harmless to repeat, as for
     * {@link #write}.
     */
    default <T> T writeShared(SqlWork<T> work) {
        return write(work);
    }

    /** Runs read-only {@code work} on a pooled connection; it sees the last committed state. */
    <T> T read(SqlWork<T> work);

    /**
     * Brings the schema up to date. SQLite applies the named scripts (from {@code db/sqlite/}), each
     * once and in order. PostgreSQL runs every Flyway migration in {@code db/postgresql/} instead and
     * does not use the list: its migrations are versioned files, not a list kept in code.
     */
    void migrate(List<String> sqliteScripts);

    /**
     * Makes rows already deleted from {@code tables} unreadable in the backend's files as far as it
     * can, after a purge: SQLite overwrites deleted rows as it deletes them (secure delete) and here
     * checkpoints and truncates its write-ahead log, which still holds the older page images;
     * PostgreSQL vacuums the tables, so that the deleted rows' dead tuples are pruned from their
     * pages (docs/privacy.md says what remains: WAL segments until recycled, and backups).
     * {@code tables} are names from the code, never from input.
     */
    void scrubDeleted(Collection<String> tables);

    /** The SQL differences between the backends. */
    Dialect dialect();

    /** True when a trivial query succeeds: the readiness check. */
    default boolean isHealthy() {
        try {
            return read(c -> {
                try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT 1")) {
                    return rs.next();
                }
            });
        } catch (StorageException e) {
            return false;
        }
    }

    /** Publishes the backend's own gauges (PostgreSQL: the connection pool); SQLite has none. */
    default void registerMetrics(MeterRegistry meters) {
    }

    @Override
    void close();

    /** Opens (creating if needed) the SQLite database {@code file} in WAL mode with the given synchronous level. */
    static Database openSqlite(Path file, String synchronous) {
        return SqliteDatabase.open(file, synchronous);
    }
}
