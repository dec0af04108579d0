// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;
import org.parley.server.testing.StorageBackend;

/** What every backend's {@link Database} promises: atomic writes, nested writes joining, reads after commit. */
@ParameterizedClass
@EnumSource(StorageBackend.class)
class DatabaseContractTest {
    @Parameter
    StorageBackend backend;

    @TempDir
    Path dir;

    private Database db;

    @BeforeEach
    void open() {
        db = backend.open(dir);
        db.write(c -> {
            try (Statement s = c.createStatement()) {
                s.execute("CREATE TABLE t (k INTEGER PRIMARY KEY, v TEXT NOT NULL)");
            }
            return null;
        });
    }

    @AfterEach
    void close() {
        db.close();
    }

    private void insert(java.sql.Connection c, int k, String v) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("INSERT INTO t(k, v) VALUES (?, ?)")) {
            p.setInt(1, k);
            p.setString(2, v);
            p.executeUpdate();
        }
    }

    private int count() {
        return db.read(c -> {
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT count(*) FROM t")) {
                rs.next();
                return rs.getInt(1);
            }
        });
    }

    @Test
    void write_concurrentCallers_everyPieceCommittedOnReturn() throws Exception {
        int writers = 32;
        int perWriter = 50;
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> futures = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                int base = w * perWriter;
                futures.add(pool.submit(() -> {
                    for (int i = 0; i < perWriter; i++) {
                        int k = base + i;
                        db.write(c -> {
                            insert(c, k, "v" + k);
                            return null;
                        });
                        // Returned means committed: a fresh reader must see it.
                        int seen = db.read(c -> {
                            try (PreparedStatement p = c.prepareStatement("SELECT count(*) FROM t WHERE k = ?")) {
                                p.setInt(1, k);
                                try (ResultSet rs = p.executeQuery()) {
                                    rs.next();
                                    return rs.getInt(1);
                                }
                            }
                        });
                        assertEquals(1, seen);
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        }
        assertEquals(writers * perWriter, count());
    }

    @Test
    void write_oneFailingPieceAmongMany_onlyItsChangesRollBack() throws Exception {
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> futures = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                int k = i;
                futures.add(pool.submit(() -> db.write(c -> {
                    insert(c, k, "v");
                    if (k % 10 == 0) {
                        insert(c, 100_000 + k, "partial");
                        throw new IllegalStateException("refused " + k);
                    }
                    return k;
                })));
            }
            int failed = 0;
            for (Future<?> f : futures) {
                try {
                    f.get();
                } catch (java.util.concurrent.ExecutionException e) {
                    assertSame(IllegalStateException.class, e.getCause().getClass());
                    failed++;
                }
            }
            assertEquals(20, failed);
        }
        assertEquals(180, count());
    }

    @Test
    void write_sqlError_becomesStorageExceptionAndLeavesNothing() {
        db.write(c -> {
            insert(c, 1, "a");
            return null;
        });
        StorageException e = assertThrows(StorageException.class, () -> db.write(c -> {
            insert(c, 2, "b");
            insert(c, 1, "duplicate");
            return null;
        }));
        assertEquals(1, count(), e.getMessage());
    }

    @Test
    void write_nestedInsideWrite_joinsTheTransaction() {
        int result = db.write(c -> {
            insert(c, 1, "outer");
            return db.write(inner -> {
                insert(inner, 2, "inner");
                return 2;
            });
        });
        assertEquals(2, result);
        assertEquals(2, count());
    }

    @Test
    void write_afterClose_failsInsteadOfHanging() {
        db.close();
        assertThrows(StorageException.class, () -> db.write(c -> null));
        assertThrows(StorageException.class, () -> db.read(c -> null));
    }

    @Test
    void write_nestedWriteFails_theWholeOuterWriteRollsBack() {
        assertThrows(StorageException.class, () -> db.write(c -> {
            insert(c, 1, "outer");
            return db.write(inner -> {
                insert(inner, 1, "duplicate");
                return null;
            });
        }));
        assertEquals(0, count());
    }

    @Test
    void migrate_twice_changesNothingTheSecondTime() {
        db.migrate(org.parley.server.ParleyServer.SCHEMA);
        db.migrate(org.parley.server.ParleyServer.SCHEMA);
        assertEquals(0, (int) db.read(c -> {
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT count(*) FROM accounts")) {
                rs.next();
                return rs.getInt(1);
            }
        }));
    }

    @Test
    void isHealthy_whileOpen_trueAndAfterClose_false() {
        assertTrue(db.isHealthy());
        db.close();
        assertFalse(db.isHealthy());
    }
}
