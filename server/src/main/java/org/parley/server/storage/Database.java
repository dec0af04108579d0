// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.storage;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The embedded SQLite database. SQLite allows one writer at a time, so every write runs on one
 * writer thread with its own connection, while reads use a small pool of connections that WAL mode
 * lets run beside the writer.
 *
 * <p><b>Group commit.</b> A durable commit costs an fsync, which is far more than the SQL of one
 * send. Callers of {@link #write} hand their work to the writer thread and wait; the writer takes
 * every piece of work that is waiting, runs each inside its own savepoint, and commits them all
 * with one fsync. Each caller still sees all-or-nothing for its own work (a failing piece rolls back
 * to its savepoint and gets its exception) and returns only after the commit that made its work
 * durable. Under no load a batch holds one piece and nothing waits for company.
 *
 * <p>Feature stores speak only through {@link #read} and {@link #write}; the SQL dialect stays
 * inside each {@code Jdbc*Store}.
 */
public final class Database implements AutoCloseable {
    private static final int READERS = 4;

    /** Pieces of work one commit may carry; bounds the latency a large batch adds to its first member. */
    private static final int MAX_BATCH = 512;

    private final Connection writer;
    private final BlockingQueue<Connection> readers = new ArrayBlockingQueue<>(READERS);
    private final BlockingQueue<PendingWrite<?>> pending = new LinkedBlockingQueue<>();
    private final Thread writerThread;
    private volatile boolean closed;

    private Database(Connection writer, List<Connection> readerConnections) {
        this.writer = writer;
        this.readers.addAll(readerConnections);
        // A platform thread: SQLite calls are native and would pin a virtual thread's carrier anyway.
        this.writerThread = Thread.ofPlatform().name("parley-db-writer").daemon().start(this::writeLoop);
    }

    /** Opens (creating if needed) {@code file} in WAL mode with the given synchronous level. */
    public static Database openSqlite(Path file, String synchronous) {
        try {
            String url = "jdbc:sqlite:" + file.toAbsolutePath();
            Connection writer = open(url, synchronous);
            try (Statement s = writer.createStatement()) {
                s.execute("PRAGMA journal_mode=WAL");
            }
            List<Connection> readerConnections = new java.util.ArrayList<>();
            for (int i = 0; i < READERS; i++) {
                readerConnections.add(open(url, synchronous));
            }
            return new Database(writer, readerConnections);
        } catch (SQLException e) {
            throw new StorageException("cannot open the database at " + file + ": " + e.getMessage(), e);
        }
    }

    private static Connection open(String url, String synchronous) throws SQLException {
        Connection c = DriverManager.getConnection(url);
        try (Statement s = c.createStatement()) {
            s.execute("PRAGMA foreign_keys=ON");
            s.execute("PRAGMA busy_timeout=10000");
            s.execute("PRAGMA synchronous=" + synchronous);
        }
        return c;
    }

    /** Work that may throw {@link SQLException}. */
    @FunctionalInterface
    public interface SqlWork<T> {
        T run(Connection connection) throws SQLException;
    }

    /**
     * Runs {@code work} in a write transaction and returns once it is committed: its changes all
     * commit or, when it throws, none do. Work from concurrent callers may share the commit.
     */
    public <T> T write(SqlWork<T> work) {
        if (Thread.currentThread() == writerThread) {
            return nested(work);
        }
        if (closed) {
            throw new StorageException("the database is closed", null);
        }
        PendingWrite<T> write = new PendingWrite<>(work);
        pending.add(write);
        return write.await();
    }

    /** A write issued from inside another write's work joins that transaction. */
    private <T> T nested(SqlWork<T> work) {
        try {
            return work.run(writer);
        } catch (SQLException e) {
            throw new StorageException("database write failed: " + e.getMessage(), e);
        }
    }

    private void writeLoop() {
        List<PendingWrite<?>> batch = new ArrayList<>();
        while (!closed || !pending.isEmpty()) {
            try {
                PendingWrite<?> first = pending.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                pending.drainTo(batch, MAX_BATCH - 1);
                commit(batch);
            } catch (InterruptedException e) {
                // close() interrupts only after it stopped new work; finish what is queued.
                Thread.interrupted();
            } finally {
                batch.clear();
            }
        }
        // Work that raced with close() must not wait forever.
        StorageException closedError = new StorageException("the database is closed", null);
        for (PendingWrite<?> left; (left = pending.poll()) != null; ) {
            left.failed(closedError);
        }
    }

    /** Runs each piece in its own savepoint, then commits once and releases every caller. */
    private void commit(List<PendingWrite<?>> batch) {
        try {
            writer.setAutoCommit(false);
            for (PendingWrite<?> write : batch) {
                write.runInSavepoint(writer);
            }
            writer.commit();
            batch.forEach(PendingWrite::committed);
        } catch (SQLException | RuntimeException e) {
            try {
                writer.rollback();
            } catch (SQLException rollback) {
                e.addSuppressed(rollback);
            }
            StorageException failure = new StorageException("database commit failed: " + e.getMessage(), e);
            batch.forEach(write -> write.failed(failure));
        } finally {
            try {
                writer.setAutoCommit(true);
            } catch (SQLException e) {
                // The next batch's setAutoCommit(false) will surface a broken connection.
            }
        }
    }

    /** One caller's work and the hand-over of its outcome. */
    private static final class PendingWrite<T> {
        private final SqlWork<T> work;
        private final CountDownLatch done = new CountDownLatch(1);
        private T result;
        private RuntimeException error;

        PendingWrite(SqlWork<T> work) {
            this.work = work;
        }

        void runInSavepoint(Connection c) throws SQLException {
            try (Statement s = c.createStatement()) {
                s.execute("SAVEPOINT w");
            }
            try {
                result = work.run(c);
                try (Statement s = c.createStatement()) {
                    s.execute("RELEASE w");
                }
            } catch (SQLException | RuntimeException e) {
                try (Statement s = c.createStatement()) {
                    s.execute("ROLLBACK TO w");
                    s.execute("RELEASE w");
                }
                error = e instanceof SQLException sql
                        ? new StorageException("database write failed: " + sql.getMessage(), sql)
                        : (RuntimeException) e;
            }
        }

        void committed() {
            done.countDown();
        }

        void failed(RuntimeException failure) {
            if (error == null) {
                error = failure;
            }
            done.countDown();
        }

        T await() {
            boolean interrupted = false;
            // Wait for the commit even if interrupted: returning early would let a caller report a
            // failure for work that then commits, or success for work not yet durable.
            while (true) {
                try {
                    done.await();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
            if (error != null) {
                throw error;
            }
            return result;
        }
    }

    /** Runs read-only {@code work} on a pooled connection; it sees the last committed state. */
    public <T> T read(SqlWork<T> work) {
        Connection c;
        try {
            c = readers.take();
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
        try (InputStream in = Database.class.getResourceAsStream(resource)) {
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

    /** True when a trivial query succeeds: the readiness check. */
    public boolean isHealthy() {
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

    @Override
    public void close() {
        closed = true;
        writerThread.interrupt();
        try {
            writerThread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            writer.close();
            for (Connection c : readers) {
                c.close();
            }
        } catch (SQLException e) {
            throw new StorageException("closing the database failed: " + e.getMessage(), e);
        }
    }
}
