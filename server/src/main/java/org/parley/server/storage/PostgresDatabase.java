// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.storage;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.metrics.micrometer.MicrometerMetricsTrackerFactory;
import com.zaxxer.hikari.pool.HikariPool;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.parley.server.config.ServerConfig;

/**
 * A PostgreSQL database shared by any number of server nodes, through a HikariCP pool.
 *
 * <p>A write is an ordinary READ COMMITTED transaction on a pooled connection. Where a store reads
 * before it decides, it locks what it read ({@link Dialect}), so concurrent nodes cannot both act
 * on the same stale row. A transaction that still loses (deadlock, serialization failure) is rolled
 * back and run again a bounded number of times; any other failure rolls back and is reported.
 *
 * <p>Writes that may share a commit ({@link #writeShared}: the sends) go to one writer thread
 * ({@link GroupCommitWriter}) that runs every one waiting, each in its own savepoint, in one
 * transaction on one pooled connection it keeps: one WAL flush for many sends, as SQLite's group
 * commit. It keeps that connection between batches while sends keep coming, so that reads that
 * empty the pool cannot starve it (under load the pool is one connection smaller for everything
 * else), and gives it back after 200 ms without sends.
 *
 * <p>The schema is the Flyway migrations in {@code db/postgresql/}; Flyway's own lock makes nodes
 * that start together migrate one at a time.
 */
public final class PostgresDatabase implements Database {
    static final String MIGRATIONS = "classpath:db/postgresql";
    /** Attempts per write, the first included. Conflicts are rare and short; more would only queue up load. */
    static final int MAX_ATTEMPTS = 5;
    /** serialization_failure and deadlock_detected: the transaction did nothing and may simply be run again. */
    private static final Set<String> RETRYABLE = Set.of("40001", "40P01");
    private static final Pattern TABLE_NAME = Pattern.compile("[a-z_][a-z0-9_]*");

    private final HikariDataSource pool;
    /** The connection of the write transaction running on this thread, so that a nested write joins it. */
    private final ScopedValue<Connection> currentWrite = ScopedValue.newInstance();
    /** The shared writes' connection while the writer holds one; touched only by the writer thread and close. */
    private volatile Connection sharedConnection;
    private final GroupCommitWriter shared;

    private PostgresDatabase(HikariDataSource pool) {
        this.pool = pool;
        this.shared = new GroupCommitWriter(new GroupCommitWriter.Connections() {
            @Override
            public Connection acquire() {
                Connection c = sharedConnection;
                if (c == null) {
                    c = borrow();
                    sharedConnection = c;
                }
                return c;
            }

            @Override
            public void failed(Connection connection) {
                // Give it back (Hikari evicts a connection that reported a broken link) and borrow
                // a fresh one for the next batch.
                sharedConnection = null;
                closeQuietly(connection);
            }

            @Override
            public void idle() {
                // Back to the pool after 200 ms without sends: Hikari checks a connection that sat
                // idle before lending it again, so one that a database restart broke in the
                // meantime is replaced instead of failing the next batch.
                Connection c = sharedConnection;
                if (c != null) {
                    sharedConnection = null;
                    closeQuietly(c);
                }
            }
        }, "parley-pg-writer");
    }

    /** Opens the pool and checks that the database answers; fails with a message that names the URL. */
    public static PostgresDatabase open(ServerConfig.Postgresql settings) {
        HikariConfig config = new HikariConfig();
        config.setPoolName("parley-postgresql");
        config.setJdbcUrl(settings.url());
        if (settings.user() != null && !settings.user().isBlank()) {
            config.setUsername(settings.user());
        }
        String password = password(settings);
        if (password != null) {
            config.setPassword(password);
        }
        config.setMaximumPoolSize(settings.poolSize());
        config.setConnectionTimeout(settings.connectTimeout().toMillis());
        config.setValidationTimeout(Math.min(settings.connectTimeout().toMillis(), 5_000));
        // Reported to pg_stat_activity, so an administrator sees which connections are Parley's.
        config.addDataSourceProperty("ApplicationName", "parley");
        // A new connection to an unreachable host gives up as soon as a waiting request would, and
        // keepalives let the kernel notice a database host that vanished without closing anything.
        config.addDataSourceProperty("connectTimeout", Math.max(1, settings.connectTimeout().toSeconds()));
        config.addDataSourceProperty("tcpKeepAlive", true);
        try {
            return new PostgresDatabase(new HikariDataSource(config));
        } catch (HikariPool.PoolInitializationException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new StorageException("cannot connect to PostgreSQL at " + settings.url() + ": " + cause.getMessage(), e);
        }
    }

    private static String password(ServerConfig.Postgresql settings) {
        if (settings.passwordFile() != null) {
            try {
                String content = Files.readString(settings.passwordFile(), StandardCharsets.UTF_8);
                return content.lines().findFirst().orElse("");
            } catch (IOException e) {
                throw new StorageException("cannot read storage.postgresql.password-file " + settings.passwordFile()
                        + ": " + e.getMessage(), e);
            }
        }
        return settings.password() == null || settings.password().isEmpty() ? null : settings.password();
    }

    @Override
    public <T> T write(SqlWork<T> work) {
        if (currentWrite.isBound()) {
            try {
                return work.run(currentWrite.get());
            } catch (SQLException e) {
                throw new StorageException("database write failed: " + e.getMessage(), e);
            }
        }
        for (int attempt = 1; ; attempt++) {
            try (Connection c = borrow()) {
                try {
                    c.setAutoCommit(false);
                    T result = ScopedValue.where(currentWrite, c).call(() -> work.run(c));
                    c.commit();
                    return result;
                } catch (SQLException | RuntimeException e) {
                    rollback(c, e);
                    if (attempt < MAX_ATTEMPTS && isRetryable(e)) {
                        pause(attempt);
                        continue;
                    }
                    if (e instanceof SQLException sql) {
                        throw new StorageException("database write failed: " + sql.getMessage(), sql);
                    }
                    throw (RuntimeException) e;
                }
            } catch (SQLException e) {
                // Only close() gets here: the transaction already ended one way or the other.
                throw new StorageException("returning a connection failed: " + e.getMessage(), e);
            }
        }
    }

    /**
     * Joins the caller's write if there is one; otherwise hands {@code work} to the writer, which
     * commits it with whatever other shared writes are waiting. A piece that lost a deadlock or a
     * serialization conflict inside the batch was rolled back to its savepoint alone and runs again
     * here in a transaction of its own, with {@link #write}'s retries.
     */
    @Override
    public <T> T writeShared(SqlWork<T> work) {
        if (currentWrite.isBound()) {
            return write(work);
        }
        try {
            return shared.write(c -> ScopedValue.where(currentWrite, c).call(() -> work.run(c)));
        } catch (StorageException e) {
            if (isRetryable(e)) {
                return write(work);
            }
            throw e;
        }
    }

    /** Shared writes waiting for the writer now (tests). */
    int sharedQueued() {
        return shared.queued();
    }

    @Override
    public <T> T read(SqlWork<T> work) {
        try (Connection c = borrow()) {
            return work.run(c);
        } catch (SQLException e) {
            throw new StorageException("database read failed: " + e.getMessage(), e);
        }
    }

    private Connection borrow() {
        try {
            return pool.getConnection();
        } catch (SQLException e) {
            if (e instanceof java.sql.SQLTransientConnectionException && e.getCause() == null) {
                // Hikari attaches the last connection failure when the database cannot be reached;
                // with none, every connection was simply busy for the whole wait: load, not an outage.
                throw new StorageBusy("every database connection stayed busy: " + e.getMessage(), e);
            }
            throw new StorageException("no database connection: " + e.getMessage(), e);
        }
    }

    private static void closeQuietly(Connection c) {
        try {
            c.close();
        } catch (SQLException e) {
            // Already unusable; the pool has or will let it go.
        }
    }

    private static void rollback(Connection c, Exception failure) {
        try {
            c.rollback();
        } catch (SQLException rollback) {
            // A broken connection: Hikari evicts it when it is returned.
            failure.addSuppressed(rollback);
        }
    }

    /** True when the failure, or what caused it (a nested write wraps it), is a conflict worth retrying. */
    static boolean isRetryable(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql) {
                for (SQLException s = sql; s != null; s = s.getNextException()) {
                    if (s.getSQLState() != null && RETRYABLE.contains(s.getSQLState())) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    /** A short random pause, growing with the attempt, so the transactions that collided do not collide again. */
    private static void pause(int attempt) {
        try {
            Thread.sleep(ThreadLocalRandom.current().nextLong(1, 10L * attempt + 1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StorageException("interrupted while retrying a database write", e);
        }
    }

    @Override
    public void migrate(List<String> sqliteScripts) {
        try {
            Flyway.configure()
                    .dataSource(pool)
                    .locations(MIGRATIONS)
                    .failOnMissingLocations(true)
                    .load()
                    .migrate();
        } catch (FlywayException e) {
            throw new StorageException("migrating the PostgreSQL schema failed: " + e.getMessage(), e);
        }
    }

    /**
     * VACUUMs each table: it prunes the dead tuples the purge left (a DELETE only marks them), so
     * their bytes no longer sit in the table's pages waiting for autovacuum, which on a large lookup
     * log may not come for days (its default threshold is a fifth of the table). SKIP_LOCKED: another
     * node's purge may be vacuuming the same table at this moment, and one vacuum is enough.
     */
    @Override
    public void scrubDeleted(Collection<String> tables) {
        try (Connection c = borrow(); Statement s = c.createStatement()) {
            // VACUUM refuses to run inside a transaction block.
            c.setAutoCommit(true);
            for (String table : tables) {
                if (!TABLE_NAME.matcher(table).matches()) {
                    throw new IllegalArgumentException("not a table name: " + table);
                }
                s.execute("VACUUM (SKIP_LOCKED) " + table);
            }
        } catch (SQLException e) {
            throw new StorageException("vacuuming " + tables + " after the purge failed: " + e.getMessage(), e);
        }
    }

    @Override
    public Dialect dialect() {
        return Dialect.POSTGRESQL;
    }

    /** The pool's {@code hikaricp_connections_*} meters: active, idle, pending, acquisition time, timeouts. */
    @Override
    public void registerMetrics(MeterRegistry meters) {
        pool.setMetricsTrackerFactory(new MicrometerMetricsTrackerFactory(meters));
    }

    @Override
    public void close() {
        // The writer first: it finishes the shared writes already handed over.
        shared.close();
        Connection c = sharedConnection;
        if (c != null) {
            closeQuietly(c);
        }
        pool.close();
    }
}
