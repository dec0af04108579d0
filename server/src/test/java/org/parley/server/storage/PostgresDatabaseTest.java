// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.server.config.ServerConfig;
import org.parley.server.testing.PostgresProcess;
import org.parley.server.testing.StorageBackend;

/** What only the PostgreSQL backend does: retrying lost conflicts, connecting with its settings. */
class PostgresDatabaseTest {
    @TempDir
    Path dir;

    private Database db;

    @BeforeEach
    void open() {
        db = StorageBackend.POSTGRESQL.open(dir);
        db.write(c -> {
            try (Statement s = c.createStatement()) {
                s.execute("CREATE TABLE t (k INTEGER PRIMARY KEY, v INTEGER NOT NULL)");
                s.execute("INSERT INTO t(k, v) VALUES (1, 0), (2, 0)");
            }
            return null;
        });
    }

    @AfterEach
    void close() {
        db.close();
    }

    private static void increment(Connection c, int k) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("UPDATE t SET v = v + 1 WHERE k = ?")) {
            p.setInt(1, k);
            p.executeUpdate();
        }
    }

    private int value(int k) {
        return db.read(c -> {
            try (PreparedStatement p = c.prepareStatement("SELECT v FROM t WHERE k = ?")) {
                p.setInt(1, k);
                try (ResultSet rs = p.executeQuery()) {
                    rs.next();
                    return rs.getInt(1);
                }
            }
        });
    }

    /** Two writes lock the same rows in opposite order; PostgreSQL aborts one, which is run again. */
    @Test
    void write_deadlockVictim_isRunAgainAndBothCommit() throws Exception {
        CyclicBarrier bothHoldTheirFirstRow = new CyclicBarrier(2);
        AtomicInteger runs = new AtomicInteger();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<?> a = pool.submit(() -> crossWrite(1, 2, bothHoldTheirFirstRow, runs));
            Future<?> b = pool.submit(() -> crossWrite(2, 1, bothHoldTheirFirstRow, runs));
            a.get(60, TimeUnit.SECONDS);
            b.get(60, TimeUnit.SECONDS);
        }
        assertEquals(3, runs.get(), "one of the two writes lost the deadlock and ran a second time");
        assertEquals(2, value(1));
        assertEquals(2, value(2));
    }

    private Void crossWrite(int first, int second, CyclicBarrier barrier, AtomicInteger runs) {
        AtomicBoolean firstRun = new AtomicBoolean(true);
        return db.write(c -> {
            runs.incrementAndGet();
            increment(c, first);
            if (firstRun.getAndSet(false)) {
                try {
                    barrier.await(30, TimeUnit.SECONDS);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }
            increment(c, second);
            return null;
        });
    }

    @Test
    void write_conflictThatNeverClears_givesUpAfterBoundedAttempts() {
        AtomicInteger attempts = new AtomicInteger();
        StorageException e = assertThrows(StorageException.class, () -> db.write(c -> {
            attempts.incrementAndGet();
            increment(c, 1);
            throw new SQLException("could not serialize access", "40001");
        }));
        assertEquals(PostgresDatabase.MAX_ATTEMPTS, attempts.get());
        assertTrue(e.getMessage().contains("could not serialize"), e.getMessage());
        assertEquals(0, value(1), "every attempt rolled back");
    }

    @Test
    void write_otherFailures_areNotRetried() {
        AtomicInteger attempts = new AtomicInteger();
        assertThrows(StorageException.class, () -> db.write(c -> {
            attempts.incrementAndGet();
            try (Statement s = c.createStatement()) {
                s.execute("INSERT INTO t(k, v) VALUES (1, 5)");
            }
            return null;
        }));
        assertEquals(1, attempts.get());
    }

    @Test
    void write_conflictInsideANestedWrite_retriesTheOuterTransaction() {
        AtomicInteger attempts = new AtomicInteger();
        int result = db.write(c -> {
            increment(c, 1);
            return db.write(inner -> {
                if (attempts.incrementAndGet() == 1) {
                    throw new SQLException("deadlock detected", "40P01");
                }
                increment(inner, 2);
                return 7;
            });
        });
        assertEquals(7, result);
        assertEquals(2, attempts.get());
        assertEquals(1, value(1), "the first attempt's outer change was rolled back, not applied twice");
        assertEquals(1, value(2));
    }

    @Test
    void open_withPasswordFile_connects() throws Exception {
        PostgresProcess pg = PostgresProcess.shared();
        Path secret = Files.writeString(dir.resolve("pg-password"), PostgresProcess.PASSWORD + "\n");
        var settings = new ServerConfig.Postgresql(pg.jdbcUrl("postgres"), PostgresProcess.USER, "", secret, 2,
                Duration.ofSeconds(10));
        try (Database other = PostgresDatabase.open(settings)) {
            assertTrue(other.isHealthy());
        }
    }

    @Test
    void open_wrongPassword_failsNamingTheDatabaseButNotThePassword() {
        PostgresProcess pg = PostgresProcess.shared();
        var settings = new ServerConfig.Postgresql(pg.jdbcUrl("postgres"), PostgresProcess.USER, "not-the-password",
                null, 2, Duration.ofSeconds(10));
        StorageException e = assertThrows(StorageException.class, () -> PostgresDatabase.open(settings));
        assertTrue(e.getMessage().contains(pg.jdbcUrl("postgres")), e.getMessage());
        assertTrue(!e.getMessage().contains("not-the-password"), e.getMessage());
        assertTrue(!settings.toString().contains("not-the-password"), settings.toString());
    }
}
