// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.client.store;

import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import org.parley.client.error.ParleyStateException;

/**
 * The device's local state: one SQLite file, {@code <home>/state.db}, behind one connection.
 *
 * <p>Every read and write goes through {@link #transaction}. Transactions nest: a store method called
 * while a caller already holds a transaction joins it. That is what lets a libsignal decrypt (which
 * writes the session, removes prekeys and saves identities through the store) and the "envelope seen"
 * mark commit or roll back together.
 *
 * <p>The stores' statements are prepared once per connection and reused (see {@link #prepare}): compiling
 * the SQL again on every call was a large part of a message's cost.
 */
public final class StateDatabase implements AutoCloseable {
    public static final String FILE_NAME = "state.db";
    private static final int SCHEMA_VERSION = 1;

    private final Connection connection;
    private final ReentrantLock lock = new ReentrantLock();
    private int depth;
    /** Prepared statements by SQL text; guarded by {@link #lock}, like the connection they belong to. */
    private final Map<String, CachedStatement> statements = new HashMap<>();

    /** The driver's statement and the handle given to callers, whose {@code close()} keeps it open. */
    private record CachedStatement(PreparedStatement statement, PreparedStatement handle) {}

    /** A bound on the cache; the stores use a few dozen fixed SQL texts, so it is never reached in practice. */
    private static final int MAX_CACHED_STATEMENTS = 256;

    private StateDatabase(Connection connection) {
        this.connection = connection;
    }

    /** Opens (creating if needed) the state of the home directory; the directory gets mode 0700, the file 0600. */
    public static StateDatabase open(Path home) {
        Path file = home.resolve(FILE_NAME);
        try {
            PrivateFiles.ensureDirectory(home);
            PrivateFiles.ensureFile(file);
        } catch (IOException e) {
            throw new ParleyStateException("cannot create the private state directory " + home + ": " + e.getMessage(), e);
        }
        Connection connection = null;
        try {
            connection = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath());
            try (Statement s = connection.createStatement()) {
                // WAL lets a `receive` and a `send` in two processes share the file; busy_timeout makes the
                // second writer wait for the first instead of failing at once.
                s.execute("PRAGMA journal_mode=WAL");
                s.execute("PRAGMA synchronous=FULL");
                s.execute("PRAGMA busy_timeout=10000");
                s.execute("PRAGMA foreign_keys=ON");
            }
            StateDatabase db = new StateDatabase(connection);
            db.migrate();
            return db;
        } catch (SQLException e) {
            if (connection != null) {
                try {
                    connection.close();
                } catch (SQLException suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            throw new ParleyStateException("cannot open " + file + ": " + e.getMessage(), e);
        }
    }

    /** Work run inside a transaction; SQL failures propagate and roll it back. */
    @FunctionalInterface
    public interface Work<T, X extends Exception> {
        T run(Connection connection) throws SQLException, X;
    }

    /**
     * Runs {@code work} in a transaction, joining the caller's if there is one. Any exception rolls back
     * the outermost transaction; SQL failures surface as {@link ParleyStateException}, others unchanged.
     */
    public <T, X extends Exception> T transaction(Work<T, X> work) throws X {
        lock.lock();
        try {
            if (depth > 0) {
                depth++;
                try {
                    return work.run(connection);
                } catch (SQLException e) {
                    throw failure(e);
                } finally {
                    depth--;
                }
            }
            // IMMEDIATE takes the write lock up front, so two processes on one home cannot both read a
            // session, advance its ratchet and overwrite each other's result.
            execute("BEGIN IMMEDIATE");
            depth = 1;
            boolean committed = false;
            try {
                T result = work.run(connection);
                execute("COMMIT");
                committed = true;
                return result;
            } catch (SQLException e) {
                throw failure(e);
            } finally {
                depth = 0;
                if (!committed) {
                    rollbackQuietly();
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Like {@link #transaction}, but inside a caller's transaction {@code work} runs under a savepoint: when
     * it throws, only its own writes are undone and the caller's transaction goes on. That is what lets a
     * receive burst commit many envelopes at once while a failed decrypt among them leaves nothing behind.
     */
    public <T, X extends Exception> T atomically(Work<T, X> work) throws X {
        lock.lock();
        try {
            if (depth == 0) {
                return transaction(work);
            }
            execute("SAVEPOINT atomically");
            boolean released = false;
            try {
                T result = transaction(work);
                execute("RELEASE atomically");
                released = true;
                return result;
            } finally {
                if (!released) {
                    try {
                        execute("ROLLBACK TO atomically");
                        execute("RELEASE atomically");
                    } catch (ParleyStateException gone) {
                        // SQLite already ended the whole transaction after the error; the caller's fails too.
                    }
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /** True when the calling thread is inside a transaction that has not committed yet. */
    public boolean inTransaction() {
        return lock.isHeldByCurrentThread() && depth > 0;
    }

    /**
     * The prepared statement for {@code sql}, compiled on first use and reused by later calls, with its
     * parameters cleared. Call it only inside {@link #transaction} (on the thread holding the lock) and
     * use the statement only there. Closing the returned statement does not close the cached one (it
     * clears its parameters), so callers keep their try-with-resources; they must still close the result
     * sets they open, and must not run the same SQL again while a result set of it is open.
     */
    PreparedStatement prepare(String sql) throws SQLException {
        if (!inTransaction()) {
            throw new IllegalStateException("a statement is prepared outside a transaction");
        }
        CachedStatement cached = statements.get(sql);
        if (cached != null) {
            cached.statement().clearParameters();
            return cached.handle();
        }
        PreparedStatement statement = connection.prepareStatement(sql);
        if (statements.size() >= MAX_CACHED_STATEMENTS) {
            return statement; // not cached: the caller's close() closes it
        }
        cached = new CachedStatement(statement, reusable(statement));
        statements.put(sql, cached);
        return cached.handle();
    }

    /** A view of {@code statement} whose {@code close()} clears the parameters instead of closing it. */
    private static PreparedStatement reusable(PreparedStatement statement) {
        return (PreparedStatement) Proxy.newProxyInstance(StateDatabase.class.getClassLoader(),
                new Class<?>[] {PreparedStatement.class}, (proxy, method, args) -> {
                    if (method.getName().equals("close") && method.getParameterCount() == 0) {
                        if (!statement.isClosed()) {
                            statement.clearParameters();
                        }
                        return null;
                    }
                    try {
                        return method.invoke(statement, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    /** Like {@link #transaction} for work that throws nothing checked but SQL. */
    public <T> T sql(Work<T, RuntimeException> work) {
        return transaction(work);
    }

    /** Like {@link #sql} for work without a result. */
    public void update(VoidWork work) {
        transaction(c -> {
            work.run(c);
            return null;
        });
    }

    /**
     * Like {@link #update}, but the commit is not synced to disk: it survives the process dying, not the
     * machine losing power. Only for writes whose loss repeats harmless work, such as a "shown" mark,
     * where the sync would double the cost of receiving a message. (In WAL mode the next synced commit
     * makes it durable too.)
     */
    public void updateUnsynced(VoidWork work) {
        lock.lock();
        try {
            if (depth > 0) {
                update(work);
                return;
            }
            // synchronous can only change outside a transaction; it is this connection's setting.
            execute("PRAGMA synchronous=NORMAL");
            try {
                update(work);
            } finally {
                execute("PRAGMA synchronous=FULL");
            }
        } finally {
            lock.unlock();
        }
    }

    @FunctionalInterface
    public interface VoidWork {
        void run(Connection connection) throws SQLException;
    }

    private void execute(String statement) {
        try (Statement s = connection.createStatement()) {
            s.execute(statement);
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    private void rollbackQuietly() {
        try (Statement s = connection.createStatement()) {
            s.execute("ROLLBACK");
        } catch (SQLException ignored) {
            // Nothing to roll back: SQLite already ended the transaction after the error.
        }
    }

    private static ParleyStateException failure(SQLException e) {
        return new ParleyStateException("local state database failed: " + e.getMessage(), e);
    }

    private void migrate() throws SQLException {
        try (Statement s = connection.createStatement()) {
            for (String ddl : Schema.STATEMENTS) {
                s.execute(ddl);
            }
            s.execute("PRAGMA user_version=" + SCHEMA_VERSION);
        }
    }

    @Override
    public void close() {
        lock.lock();
        try {
            SQLException failure = null;
            for (CachedStatement cached : statements.values()) {
                try {
                    cached.statement().close();
                } catch (SQLException e) {
                    if (failure == null) {
                        failure = e;
                    } else {
                        failure.addSuppressed(e);
                    }
                }
            }
            statements.clear();
            try {
                connection.close();
            } catch (SQLException e) {
                if (failure != null) {
                    e.addSuppressed(failure);
                }
                throw e;
            }
            if (failure != null) {
                throw failure;
            }
        } catch (SQLException e) {
            throw new ParleyStateException("cannot close the local state database: " + e.getMessage(), e);
        } finally {
            lock.unlock();
        }
    }
}
