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
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutionException;
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
import org.parley.testing.Eventually;

/** What only the PostgreSQL backend does: retrying lost conflicts, group commit, connecting with its settings. */
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

    /**
     * Shared writes waiting together commit in one transaction (one {@code txid_current()}), and the
     * one whose statement fails rolls back alone: the others are committed, its row is not.
     */
    @Test
    void writeShared_concurrentWrites_commitInOneTransactionAndAFailingOneRollsBackAlone() throws Exception {
        PostgresDatabase pg = (PostgresDatabase) StorageBackend.unwrapped(db);
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            // Holds the writer, so that the writes below queue up behind it and form one batch.
            Future<Long> blocker = pool.submit(() -> db.writeShared(c -> {
                started.countDown();
                Uninterruptibly.await(release);
                return txid(c);
            }));
            assertTrue(started.await(60, TimeUnit.SECONDS), "the writer took the blocker");
            List<Future<Long>> writes = new ArrayList<>();
            for (int k = 10; k < 15; k++) {
                // k = 12 inserts the existing key 1 instead: a primary-key violation inside the batch.
                int key = k == 12 ? 1 : k;
                int value = k;
                writes.add(pool.submit(() -> db.writeShared(c -> {
                    try (PreparedStatement p = c.prepareStatement("INSERT INTO t(k, v) VALUES (?, ?)")) {
                        p.setInt(1, key);
                        p.setInt(2, value);
                        p.executeUpdate();
                    }
                    return txid(c);
                })));
            }
            Eventually.eventually(() -> pg.sharedQueued() == 5, Duration.ofSeconds(30), "all five writes are queued");
            release.countDown();

            long blockerTx = blocker.get(60, TimeUnit.SECONDS);
            Set<Long> transactions = new HashSet<>();
            for (int i = 0; i < writes.size(); i++) {
                Future<Long> write = writes.get(i);
                if (i == 2) {
                    ExecutionException failed = assertThrows(ExecutionException.class, () -> write.get(60, TimeUnit.SECONDS));
                    assertTrue(failed.getCause() instanceof StorageException, failed.getCause().toString());
                } else {
                    transactions.add(write.get(60, TimeUnit.SECONDS));
                }
            }
            assertEquals(1, transactions.size(), "the four good writes shared one transaction: " + transactions);
            assertTrue(!transactions.contains(blockerTx), "the blocker committed before them, on its own");
        }
        for (int k : new int[] {10, 11, 13, 14}) {
            assertEquals(k, value(k));
        }
        assertEquals(0, value(1), "the failing write changed nothing");
        assertEquals(6, count(), "rows 1, 2 and the four good writes");
    }

    /** A shared write that loses a deadlock inside its batch runs again in a transaction of its own. */
    @Test
    void writeShared_deadlockVictimInsideTheBatch_runsAgainAlone() {
        AtomicInteger attempts = new AtomicInteger();
        long result = db.writeShared(c -> {
            if (attempts.incrementAndGet() == 1) {
                increment(c, 1);
                throw new SQLException("deadlock detected", "40P01");
            }
            increment(c, 2);
            return 7L;
        });
        assertEquals(7L, result);
        assertEquals(2, attempts.get());
        assertEquals(0, value(1), "the first run was rolled back to its savepoint");
        assertEquals(1, value(2));
    }

    /** A shared write issued inside an ordinary write joins it instead of waiting for the writer. */
    @Test
    void writeShared_insideAWrite_joinsItsTransaction() {
        long[] txids = db.write(c -> new long[] {txid(c), db.writeShared(PostgresDatabaseTest::txid)});
        assertEquals(txids[0], txids[1]);
    }

    private static long txid(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT txid_current()")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private int count() {
        return db.read(c -> {
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM t")) {
                rs.next();
                return rs.getInt(1);
            }
        });
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
