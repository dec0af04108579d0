// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.storage;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The embedded SQLite database (one node). SQLite allows one writer at a time, so every write runs on one
 * writer thread with its own connection, while reads use a small pool of connections that WAL mode
 * lets run beside the writer.
 * Concurrent writes share commits (group commit, see {@link GroupCommitWriter}).
 */
final class SqliteDatabase implements Database {
    private static final System.Logger LOG = System.getLogger(SqliteDatabase.class.getName());
    private static final int READERS = 4;
    private static final Duration READER_WAIT_SLICE = Duration.ofMillis(250);
    private static final Duration READS_AT_CLOSE = Duration.ofSeconds(10);

    private final Connection writer;
    private final GroupCommitWriter writes;
    private final BlockingQueue<Connection> readers = new ArrayBlockingQueue<>(READERS);
    private volatile boolean closed;

    private SqliteDatabase(Connection writer, List<Connection> readerConnections) {
        this.writer = writer;
        this.writes = new GroupCommitWriter(writer);
        this.readers.addAll(readerConnections);
    }

    /** Opens (creating if needed) {@code file} in WAL mode with the given synchronous level. */
    public static SqliteDatabase open(Path file, String synchronous) {
        try {
            String path = file.toAbsolutePath().toString();
            Connection writer = connect(path, synchronous);
            try (Statement s = writer.createStatement()) {
                s.execute("PRAGMA journal_mode=WAL");
            }
            List<Connection> readerConnections = new java.util.ArrayList<>();
            for (int i = 0; i < READERS; i++) {
                readerConnections.add(connect(path, synchronous));
            }
            return new SqliteDatabase(writer, readerConnections);
        } catch (SQLException e) {
            throw new StorageException("cannot open the database at " + file + ": " + e.getMessage(), e);
        }
    }

    /** Each connection keeps its prepared statements (see {@link StatementCachingConnection}). */
    private static Connection connect(String path, String synchronous) throws SQLException {
        Connection c = StatementCachingConnection.open(path);
        try (Statement s = c.createStatement()) {
            s.execute("PRAGMA foreign_keys=ON");
            s.execute("PRAGMA busy_timeout=10000");
            s.execute("PRAGMA synchronous=" + synchronous);
            // Deleted must mean gone (docs/privacy.md): a deleted row's bytes, and pages that become free,
            // are overwritten with zeros instead of lingering in parley.db until the space is reused.
            s.execute("PRAGMA secure_delete=ON");
        }
        return c;
    }

    /**
     * Runs {@code work} in a write transaction and returns once it is committed: its changes all
     * commit or, when it throws, none do. Work from concurrent callers may share the commit
     * (see {@link GroupCommitWriter}). A write issued from inside another write's work joins it.
     */
    @Override
    public <T> T write(SqlWork<T> work) {
        return writes.write(work);
    }

    /** Runs read-only {@code work} on a pooled connection; it sees the last committed state. */
    @Override
    public <T> T read(SqlWork<T> work) {
        if (closed) {
            throw new StorageException("the database is closed", null);
        }
        Connection c = null;
        try {
            // Not take(): once close() has collected the pool, a waiting reader must give up, not wait forever.
            while (c == null) {
                c = readers.poll(READER_WAIT_SLICE.toMillis(), TimeUnit.MILLISECONDS);
                if (c == null && closed) {
                    throw new StorageException("the database is closed", null);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StorageException("interrupted while waiting for a database connection", e);
        }
        try {
            return work.run(c);
        } catch (SQLException e) {
            throw new StorageException("database read failed: " + e.getMessage(), e);
        } finally {
            readers.add(c);
        }
    }

    /**
     * Applies the named classpath scripts in order, each once, recording them in
     * {@code schema_migrations}. Scripts are applied inside one transaction each.
     */
    @Override
    public void migrate(List<String> resources) {
        write(c -> {
            try (Statement s = c.createStatement()) {
                s.execute("CREATE TABLE IF NOT EXISTS schema_migrations (name TEXT PRIMARY KEY, applied_at INTEGER NOT NULL)");
            }
            return null;
        });
        for (String resource : resources) {
            String sql = load(resource);
            write(c -> {
                try (PreparedStatement check = c.prepareStatement("SELECT 1 FROM schema_migrations WHERE name = ?")) {
                    check.setString(1, resource);
                    try (ResultSet rs = check.executeQuery()) {
                        if (rs.next()) {
                            return null;
                        }
                    }
                }
                try (Statement s = c.createStatement()) {
                    for (String statement : sql.split(";\\s*(\\r?\\n|$)")) {
                        if (!statement.isBlank()) {
                            s.execute(statement);
                        }
                    }
                }
                try (PreparedStatement mark = c.prepareStatement("INSERT INTO schema_migrations(name, applied_at) VALUES (?, ?)")) {
                    mark.setString(1, resource);
                    mark.setLong(2, System.currentTimeMillis());
                    mark.executeUpdate();
                }
                return null;
            });
        }
    }

    private static String load(String resource) {
        try (InputStream in = SqliteDatabase.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("schema script " + resource + " is missing from the build");
            }
            // Strip full-line comments so that semicolons inside them cannot split statements.
            StringBuilder out = new StringBuilder();
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (!line.strip().startsWith("--")) {
                    out.append(line).append('\n');
                }
            }
            return out.toString();
        } catch (IOException e) {
            throw new IllegalStateException("cannot read schema script " + resource, e);
        }
    }

    @Override
    public Dialect dialect() {
        return Dialect.SQLITE;
    }

    /**
     * Secure delete has already zeroed the deleted rows in the newest page images, but the WAL still
     * holds the older images of those pages (with the rows) until a checkpoint copies the newest
     * ones into parley.db; a TRUNCATE checkpoint then cuts the WAL to zero bytes, so no old image is
     * left to read. {@code tables} does not matter here: the WAL is one for the whole database.
     */
    @Override
    public void scrubDeleted(Collection<String> tables) {
        if (!read(SqliteDatabase::checkpoint)) {
            LOG.log(System.Logger.Level.WARNING, "the WAL checkpoint after the purge could not finish (the database"
                    + " was busy); deleted rows stay readable in parley.db-wal until the next purge run");
        }
    }

    /**
     * Copies every WAL frame into the database file and truncates the WAL; false when the writer or a
     * reader of an older snapshot outlasted the busy timeout, and the frames stay until the next call.
     */
    private static boolean checkpoint(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("PRAGMA wal_checkpoint(TRUNCATE)")) {
            return rs.next() && rs.getInt(1) == 0;
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        writes.close();
        try {
            // The last connection to close would checkpoint too, but another process (parley admin ...)
            // may still have the file open; then the WAL, with the old images of deleted rows, would stay.
            if (!checkpoint(writer)) {
                LOG.log(System.Logger.Level.WARNING, "the WAL checkpoint at close could not finish (another process"
                        + " is using the database); deleted rows left in parley.db-wal go at the next purge run or clean stop");
            }
        } catch (SQLException e) {
            LOG.log(System.Logger.Level.WARNING, "the WAL checkpoint at shutdown failed: " + e.getMessage());
        }
        try {
            writer.close();
            // Each reader connection is closed only once its read has handed it back: closing a
            // connection that another thread is still reading on crashes the SQLite driver in native
            // code (a SIGSEGV in NativeDB.finalize was seen when SIGTERM met a delivery loop's read).
            for (int i = 0; i < READERS; i++) {
                Connection c = readers.poll(READS_AT_CLOSE.toSeconds(), TimeUnit.SECONDS);
                if (c == null) {
                    LOG.log(System.Logger.Level.WARNING, "a database read was still running " + READS_AT_CLOSE.toSeconds()
                            + " s after close; its connection is left to the process exit");
                    break;
                }
                c.close();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StorageException("interrupted while closing the database", e);
        } catch (SQLException e) {
            throw new StorageException("closing the database failed: " + e.getMessage(), e);
        }
    }
}
