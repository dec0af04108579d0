// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.testing.TestClock;
import org.parley.server.testing.StorageBackend;

/**
 * After each purge run the scheduler has the database scrub what the purgers deleted (issue 9 item
 * 5): SQLite's WAL, which still holds the old page images, is checkpointed and cut to nothing;
 * PostgreSQL VACUUMs the purged tables, so their dead tuples do not wait for autovacuum.
 */
class PurgeScrubTest {
    @TempDir
    Path dir;

    private final TestClock clock = new TestClock(Instant.parse("2026-11-27T10:00:00Z"));

    @Test
    void runOnce_sqlite_truncatesTheWriteAheadLog() throws Exception {
        Path file = dir.resolve("parley.db");
        try (Database db = Database.openSqlite(file, "FULL")) {
            db.migrate(org.parley.server.ServerDatabase.SCHEMA);
            insertLookups(db, 50);
            Path wal = dir.resolve("parley.db-wal");
            assertTrue(Files.size(wal) > 0, "the writes are in the WAL");
            PurgeScheduler purges = new PurgeScheduler(clock, new SimpleMeterRegistry(), db);
            purges.register(deleteAllLookups(db));
            assertEquals(50, purges.runOnce());
            assertEquals(0, Files.size(wal));
        }
    }

    @Test
    void runOnce_postgresql_vacuumsEveryTableAPurgerNames() {
        try (Database db = StorageBackend.POSTGRESQL.open(dir)) {
            insertLookups(db, 50);
            long before = vacuums(db, "lookup_log");
            PurgeScheduler purges = new PurgeScheduler(clock, new SimpleMeterRegistry(), db);
            purges.register(deleteAllLookups(db));
            assertEquals(50, purges.runOnce());
            assertEquals(before + 1, vacuums(db, "lookup_log"));
        }
    }

    private static void insertLookups(Database db, int n) {
        db.write(c -> {
            try (PreparedStatement s = c.prepareStatement("INSERT INTO lookup_log (time_ms, requester_account_id,"
                    + " requester_device_id, queried_handle, route, client_ip) VALUES (?, 'acc', 1, ?, 'sms', NULL)")) {
                for (int i = 0; i < n; i++) {
                    s.setLong(1, i);
                    s.setString(2, "someone-" + i + "@example.org");
                    s.executeUpdate();
                }
            }
            return null;
        });
    }

    private static Purger deleteAllLookups(Database db) {
        return new Purger() {
            @Override
            public String name() {
                return "test";
            }

            @Override
            public long purge(Instant now) {
                return db.write(c -> {
                    try (Statement s = c.createStatement()) {
                        return (long) s.executeUpdate("DELETE FROM lookup_log");
                    }
                });
            }

            @Override
            public Set<String> tables() {
                return Set.of("lookup_log");
            }
        };
    }

    /** How many manual VACUUMs PostgreSQL has counted for {@code table} (updated when each one ends). */
    private static long vacuums(Database db, String table) {
        return db.read(c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT vacuum_count FROM pg_stat_user_tables WHERE relname = ?")) {
                s.setString(1, table);
                try (ResultSet rs = s.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
        });
    }
}
