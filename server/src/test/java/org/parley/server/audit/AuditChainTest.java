// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;
import org.parley.protocol.AuditVerificationReport;
import org.parley.server.config.ServerConfig;
import org.parley.server.storage.Dialect;
import org.parley.server.storage.StorageException;
import org.parley.server.testing.LookupTestEnvironment;
import org.parley.server.testing.StorageBackend;

/**
 * The audit log on every storage backend: the chain, the retention purge, the append-only triggers,
 * and tampering done with plain SQL.
 */
@ParameterizedClass
@EnumSource(StorageBackend.class)
class AuditChainTest {
    @Parameter
    StorageBackend backend;

    @TempDir
    Path dir;

    private LookupTestEnvironment env;
    private AuditFeature audit;

    @BeforeEach
    void open() {
        env = new LookupTestEnvironment(dir, backend, c -> c.withAudit(new ServerConfig.Audit(Duration.ofDays(10))));
        audit = AuditFeature.create(env.ctx);
    }

    @AfterEach
    void close() {
        env.close();
    }

    private void appendFive() {
        for (int i = 1; i <= 5; i++) {
            audit.log().append("alice", "lookup-log.read", Map.of("n", Integer.toString(i)));
            env.clock.advance(Duration.ofMinutes(1));
        }
    }

    /** Runs SQL as someone with the database file (or owner rights) would: the guard triggers dropped first. */
    private void tamper(String... sql) {
        String on = env.database.dialect() == Dialect.POSTGRESQL ? " ON audit_log" : "";
        env.database.write(c -> {
            try (Statement s = c.createStatement()) {
                s.execute("DROP TRIGGER IF EXISTS audit_log_no_update" + on);
                s.execute("DROP TRIGGER IF EXISTS audit_log_no_early_delete" + on);
                for (String q : sql) {
                    s.execute(q);
                }
            }
            return null;
        });
    }

    private AuditVerificationReport verify() {
        return audit.trail().verify();
    }

    @Test
    void append_chainsEachEntryToThePreviousOne() {
        appendFive();
        List<AuditEntry> entries = audit.trail().page(0, 100);
        assertEquals(5, entries.size());
        assertEquals(AuditHashing.GENESIS, entries.getFirst().prevHash());
        for (int i = 1; i < entries.size(); i++) {
            assertEquals(i + 1, entries.get(i).seq());
            assertEquals(entries.get(i - 1).hash(), entries.get(i).prevHash());
        }
        assertEquals(Map.of("n", "3"), entries.get(2).details());
        AuditVerificationReport report = verify();
        assertTrue(report.intact(), report.problem());
        assertEquals(5, report.entriesChecked());
        assertEquals(5, report.headSeq());
    }

    @Test
    void append_detailsAreCanonicalWhateverTheMapOrder() {
        java.util.LinkedHashMap<String, String> ba = new java.util.LinkedHashMap<>();
        ba.put("b", "2");
        ba.put("a", "1");
        ba.put("skipped", null);
        AuditEntry e = audit.log().append("host:root", "token.create", ba);
        assertEquals(List.of("a", "b"), List.copyOf(e.details().keySet()));
        assertTrue(verify().intact());
    }

    @Test
    void append_badActionOrActor_isRefused() {
        assertThrows(IllegalArgumentException.class, () -> audit.log().append("", "x.y", Map.of()));
        assertThrows(IllegalArgumentException.class, () -> audit.log().append("a", "Has Spaces", Map.of()));
    }

    @Test
    void concurrentAppends_whileVerifying_chainStaysIntactAndNoFalseAlarm() throws Exception {
        int threads = 4;
        int perThread = 50;
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
        try {
            List<java.util.concurrent.Future<?>> writers = new java.util.ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int id = t;
                writers.add(pool.submit(() -> {
                    for (int i = 0; i < perThread; i++) {
                        audit.log().append("writer-" + id, "lookup-log.read", Map.of("i", Integer.toString(i)));
                    }
                }));
            }
            while (writers.stream().anyMatch(f -> !f.isDone())) {
                AuditVerificationReport during = verify();
                assertTrue(during.intact(), during.problem());
            }
            for (var f : writers) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        AuditVerificationReport report = verify();
        assertTrue(report.intact(), report.problem());
        assertEquals(threads * perThread, report.entriesChecked());
    }

    @Test
    void verify_emptyLog_isIntact() {
        AuditVerificationReport report = verify();
        assertTrue(report.intact());
        assertEquals(0, report.entriesChecked());
    }

    @Test
    void triggers_refuseUpdatesAndDeletesFromTheApplication() {
        appendFive();
        assertThrows(StorageException.class, () -> env.database.write(c -> {
            try (Statement s = c.createStatement()) {
                return s.executeUpdate("UPDATE audit_log SET actor = 'mallory' WHERE seq = 2");
            }
        }));
        assertThrows(StorageException.class, () -> env.database.write(c -> {
            try (Statement s = c.createStatement()) {
                return s.executeUpdate("DELETE FROM audit_log WHERE seq = 2");
            }
        }));
        if (env.database.dialect() == Dialect.POSTGRESQL) {
            // TRUNCATE skips row triggers; PostgreSQL has a statement trigger for it.
            assertThrows(StorageException.class, () -> env.database.write(c -> {
                try (Statement s = c.createStatement()) {
                    return s.executeUpdate("TRUNCATE audit_log");
                }
            }));
        }
        assertEquals(5, audit.trail().page(0, 100).size());
        assertTrue(verify().intact());
    }

    @Test
    void verify_editedDetails_reportsThatEntry() {
        appendFive();
        tamper("UPDATE audit_log SET details = '{\"n\":\"33\"}' WHERE seq = 3");
        AuditVerificationReport report = verify();
        assertFalse(report.intact());
        assertEquals(3L, report.brokenAtSeq());
        assertTrue(report.problem().contains("edited"), report.problem());
    }

    @Test
    void verify_editedActorAndRehashed_reportsTheNextEntry() {
        appendFive();
        // A careful forger recomputes the edited entry's hash; the next entry's prev_hash still differs.
        AuditStore.Row row = new JdbcAuditStore(env.database).page(2, 1).getFirst();
        String forged = AuditHashing.hash(row.prevHash(), row.seq(), row.timeMs(), "mallory", row.action(), row.details());
        tamper("UPDATE audit_log SET actor = 'mallory', hash = '" + forged + "' WHERE seq = 3");
        AuditVerificationReport report = verify();
        assertFalse(report.intact());
        assertEquals(4L, report.brokenAtSeq());
        assertTrue(report.problem().contains("prev_hash"), report.problem());
    }

    @Test
    void verify_deletedEntry_reportsTheGap() {
        appendFive();
        tamper("DELETE FROM audit_log WHERE seq = 2");
        AuditVerificationReport report = verify();
        assertFalse(report.intact());
        assertEquals(2L, report.brokenAtSeq());
        assertTrue(report.problem().contains("missing"), report.problem());
    }

    @Test
    void verify_deletedAndRenumbered_reportsTheBrokenLink() {
        appendFive();
        tamper("DELETE FROM audit_log WHERE seq = 2",
                "UPDATE audit_log SET seq = seq - 1 WHERE seq > 2");
        AuditVerificationReport report = verify();
        assertFalse(report.intact());
        assertEquals(2L, report.brokenAtSeq());
    }

    @Test
    void verify_swappedEntries_reportsTheFirstOfThem() {
        appendFive();
        // Swap the contents of entries 2 and 4, keeping their positions.
        tamper("UPDATE audit_log SET seq = -2 WHERE seq = 2",
                "UPDATE audit_log SET seq = 2 WHERE seq = 4",
                "UPDATE audit_log SET seq = 4 WHERE seq = -2");
        AuditVerificationReport report = verify();
        assertFalse(report.intact());
        assertEquals(2L, report.brokenAtSeq());
    }

    @Test
    void verify_newestEntriesDeleted_reportsTheMissingTail() {
        appendFive();
        tamper("DELETE FROM audit_log WHERE seq >= 4");
        AuditVerificationReport report = verify();
        assertFalse(report.intact());
        assertEquals(4L, report.brokenAtSeq());
        assertTrue(report.problem().contains("missing"), report.problem());
    }

    @Test
    void purge_deletesOnlyExpiredEntriesAndKeepsTheChainVerifiable() {
        appendFive();                                   // entries 1..5 at START + 0..4 min
        env.clock.advance(Duration.ofDays(10));
        audit.log().append("bob", "token.revoke", Map.of("name", "x"));   // entry 6, inside retention
        assertEquals(5, audit.purger().purge(env.clock.instant()));
        List<AuditEntry> left = audit.trail().page(0, 100);
        assertEquals(List.of(6L, 7L), left.stream().map(AuditEntry::seq).toList());
        AuditEntry purge = left.getLast();
        assertEquals(AuditFeature.PURGE_ACTION, purge.action());
        assertEquals(AuditLog.SYSTEM, purge.actor());
        assertEquals("5", purge.details().get("throughSeq"));
        assertEquals("5", purge.details().get("deleted"));
        AuditVerificationReport report = verify();
        assertTrue(report.intact(), report.problem());
        assertEquals(5, report.baseSeq());
        assertEquals(purge.details().get("baseHash"), report.baseHash());
        // Nothing more to purge: nothing happens, not even an entry.
        assertEquals(0, audit.purger().purge(env.clock.instant()));
        assertEquals(7, audit.trail().headSeq());
    }

    @Test
    void purge_everythingExpired_leavesOnlyThePurgeEntryAndVerifies() {
        appendFive();
        env.clock.advance(Duration.ofDays(11));
        assertEquals(5, audit.purger().purge(env.clock.instant()));
        audit.log().append("bob", "audit.read", Map.of());
        assertTrue(verify().intact(), verify().problem());
    }

    @Test
    void verify_oldestEntriesDeletedOutsideThePurge_isDetectedEvenIfTheBaseIsMoved() {
        appendFive();
        List<AuditEntry> entries = audit.trail().page(0, 100);
        tamper("DELETE FROM audit_log WHERE seq <= 2",
                "UPDATE audit_chain SET base_seq = 2, base_hash = '" + entries.get(1).hash() + "'");
        AuditVerificationReport report = verify();
        assertFalse(report.intact());
        assertEquals(3L, report.brokenAtSeq());
        assertTrue(report.problem().contains("purge"), report.problem());
    }
}
