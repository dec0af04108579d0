// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.lookuplog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.server.storage.Database;
import org.parley.server.storage.StorageException;
import org.parley.server.testing.StorageBackend;

/** The lookup-log appender on real SQLite: batching, flush, the bounded lag, failures, shutdown. */
class LookupLogAppenderTest {
    @TempDir
    Path dir;

    private Database db;
    private JdbcLookupLogStore store;
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);

    @BeforeEach
    void open() {
        db = StorageBackend.SQLITE.open(dir);
        store = new JdbcLookupLogStore(db);
    }

    @AfterEach
    void close() {
        db.close();
    }

    private static LookupLogStore.Row row(long time, String handle) {
        return new LookupLogStore.Row(time, "acc-1", 1, handle, "parley", "203.0.113.7");
    }

    private int stored() {
        return store.find(null, null, null, null, LookupLog.MAX_LIMIT).size();
    }

    @Test
    void manyConcurrentLookupsAreAllCommittedByFlush() throws Exception {
        try (LookupLogAppender appender = new LookupLogAppender(store, meters)) {
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                int thread = t;
                threads.add(Thread.ofVirtual().start(() -> {
                    for (int i = 0; i < 250; i++) {
                        appender.append(List.of(row(i, "h" + thread + "-" + i + "@example.org")));
                    }
                }));
            }
            for (Thread t : threads) {
                t.join();
            }
            appender.flush();
            assertEquals(2_000, stored());
        }
    }

    @Test
    void zeroWriteBehind_everyAppendReturnsOnlyOnceItsRowsAreCommitted() {
        // The clock never moves, so only lookup-log.write-behind: PT0S can make these appends wait.
        try (LookupLogAppender appender = new LookupLogAppender(store, meters, nanos::get, 0)) {
            for (int i = 0; i < 20; i++) {
                appender.append(List.of(row(i, "h" + i + "@example.org")));
                assertEquals(i + 1, stored(), "append returned before its row was committed");
            }
        }
    }

    @Test
    void closeCommitsWhatIsStillQueued() {
        LookupLogAppender appender = new LookupLogAppender(store, meters);
        for (int i = 0; i < 300; i++) {
            appender.append(List.of(row(i, "h" + i + "@example.org")));
        }
        appender.close();
        assertEquals(300, stored());
        assertThrows(StorageException.class, () -> appender.append(List.of(row(1, "late@example.org"))));
    }

    @Test
    void whenTheOldestUncommittedEntryIsTooOldALookupWaitsForItsCommit() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch writing = new CountDownLatch(1);
        LookupLogStore held = new DelegatingStore(store) {
            @Override
            public void append(List<Row> rows) {
                writing.countDown();
                await(release);
                super.append(rows);
            }
        };
        try (LookupLogAppender appender = new LookupLogAppender(held, meters, nanos::get)) {
            appender.append(List.of(row(1, "first@example.org"))); // answered at once: the log keeps up
            assertTrue(writing.await(30, TimeUnit.SECONDS));
            nanos.addAndGet(TimeUnit.MILLISECONDS.toNanos(50));
            appender.append(List.of(row(2, "second@example.org"))); // 50 ms behind: still within the bound
            nanos.addAndGet(LookupLogAppender.MAX_LAG_NANOS);
            CompletableFuture<Void> third = CompletableFuture.runAsync(
                    () -> appender.append(List.of(row(3, "third@example.org"))));
            // The write of the first entry is held: the third lookup must not be answered meanwhile.
            assertThrows(java.util.concurrent.TimeoutException.class, () -> third.get(300, TimeUnit.MILLISECONDS));
            release.countDown();
            third.get(30, TimeUnit.SECONDS);
            assertEquals(List.of("first@example.org", "second@example.org", "third@example.org"),
                    store.find(null, null, null, null, 10).stream().map(LookupLog.LoggedLookup::queriedHandle).toList());
        }
    }

    @Test
    void entriesGatherIntoOneTransactionAndFlushEndsTheGathering() {
        List<Integer> transactions = new ArrayList<>();
        LookupLogStore counting = new DelegatingStore(store) {
            @Override
            public void append(List<Row> rows) {
                transactions.add(rows.size());
                super.append(rows);
            }
        };
        // An hour's gathering and a clock that never moves: only flush() can make the writer write.
        try (LookupLogAppender appender = new LookupLogAppender(counting, meters, nanos::get,
                LookupLogAppender.MAX_LAG_NANOS, TimeUnit.HOURS.toNanos(1))) {
            for (int i = 0; i < 10; i++) {
                appender.append(List.of(row(i, "h" + i + "@example.org"))); // answered at once
            }
            appender.flush();
            assertEquals(10, stored());
            assertEquals(List.of(10), transactions, "the ten entries went in one transaction");
        }
    }

    @Test
    void aLookupThatMustWaitForItsCommitEndsTheGathering() throws Exception {
        try (LookupLogAppender appender = new LookupLogAppender(store, meters, nanos::get,
                LookupLogAppender.MAX_LAG_NANOS, TimeUnit.HOURS.toNanos(1))) {
            appender.append(List.of(row(1, "first@example.org"))); // answered; the writer gathers
            nanos.addAndGet(LookupLogAppender.MAX_LAG_NANOS + 1);
            // Now the log is too far behind: this lookup waits for its own commit, which must not
            // wait out the hour.
            appender.append(List.of(row(2, "second@example.org")));
            assertEquals(2, stored(), "append returned before its row was committed");
        }
    }

    @Test
    void afterAFailedWriteLookupsWaitForTheirCommitAndSeeTheFailure() {
        try (LookupLogAppender appender = new LookupLogAppender(store, meters)) {
            // The table's CHECK constraint refuses the route: a real database failure.
            LookupLogStore.Row bad = new LookupLogStore.Row(1, "acc-1", 1, "bad@example.org", "bogus", null);
            appendMaybeSeeingTheFailure(appender, bad); // usually answered before the write fails
            appender.flush();
            assertEquals(1.0, meters.counter("parley.lookuplog.failed").count());
            assertThrows(StorageException.class, () -> appender.append(List.of(bad)), "a failing log is waited for");
            appender.append(List.of(row(2, "good@example.org"))); // waits, and succeeds
            assertEquals(1, stored(), "the good entry was committed before append returned");
            assertEquals(2.0, meters.counter("parley.lookuplog.failed").count());
            appendMaybeSeeingTheFailure(appender, bad); // healthy again; its failure is counted either way
            appender.flush();
            assertEquals(3.0, meters.counter("parley.lookuplog.failed").count());
            assertFalse(stored() > 1);
        }
    }

    /** The write can fail before append() looks at the log's health; then the caller waits and sees it. */
    private static void appendMaybeSeeingTheFailure(LookupLogAppender appender, LookupLogStore.Row row) {
        try {
            appender.append(List.of(row));
        } catch (StorageException expectedSometimes) {
            // the race went the other way: fine, the failure is counted all the same
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            assertTrue(latch.await(30, TimeUnit.SECONDS));
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    /** The real store, with one method to override per test. */
    private static class DelegatingStore implements LookupLogStore {
        private final LookupLogStore real;

        DelegatingStore(LookupLogStore real) {
            this.real = real;
        }

        @Override
        public void append(List<Row> rows) {
            real.append(rows);
        }

        @Override
        public long deleteBefore(long cutoffMs, long nowMs) {
            return real.deleteBefore(cutoffMs, nowMs);
        }

        @Override
        public long deleteMadeBy(String requesterAccountId, long nowMs) {
            return real.deleteMadeBy(requesterAccountId, nowMs);
        }

        @Override
        public List<LookupLog.LoggedLookup> find(String queriedHandle, String requesterAccountId, Long sinceMs,
                                                 Long untilMs, int limit) {
            return real.find(queriedHandle, requesterAccountId, sinceMs, untilMs, limit);
        }
    }
}
