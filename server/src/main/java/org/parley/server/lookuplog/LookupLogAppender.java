// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.lookuplog;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;
import org.parley.server.storage.StorageException;
import org.parley.server.storage.Uninterruptibly;

/**
 * Writes lookup-log rows behind the lookups: the lookup hands its rows over and is answered at
 * once, while one thread appends whatever is waiting in one transaction (multi-row INSERTs) and
 * commits it.
 *
 * <p>WHY: a lookup that waited for the durable commit of its own entry paid an fsync's latency on
 * every answer; measured, that cost the lookup path about half its throughput. The price is a
 * bounded window: entries handed over but not yet committed are lost if the process or machine
 * dies. The window is bounded twice over. When the oldest uncommitted entry is older than
 * {@link #MAX_LAG_NANOS}, or more than {@link #MAX_UNCOMMITTED_ROWS} rows wait, a lookup waits for
 * its own entry's commit before it is answered, so the log cannot fall further behind than that. After a
 * failed write, lookups wait for their own commit (and fail with it) until a write succeeds again,
 * so a broken disk cannot silently turn the log off. {@link #close()} commits everything queued.
 * docs/privacy.md and the published policy state the window.
 *
 * <p>WHY the gathering: a commit has a fixed cost however few rows it carries (the savepoint
 * statements, every dirty page of the table and its indexes written to the WAL again, an
 * fsync, four thread hand-overs), so a writer that commits whatever is waiting the moment it is
 * free commits after every few lookups on a fast disk, and the log then cost more than the
 * lookups it records (docs/performance.md, "Lookup log"). So the writer lets a transaction's
 * first entry wait up to {@link #GATHER_NANOS} (a fifth of the write-behind, if that is
 * smaller) for company before it writes. The wait counts from the entry's hand-over, not from
 * when the writer gets to it: behind a slow commit the entries have waited long enough already
 * and go at once. A lookup that waits for its commit, and {@link #flush()}, end the gathering
 * at once, so they never pay for it.
 */
final class LookupLogAppender implements AutoCloseable {
    /** Default oldest an uncommitted entry may be before lookups wait for their commit: 100 ms. */
    static final long MAX_LAG_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    /** Most rows waiting or being written before lookups wait for their commit. */
    static final int MAX_UNCOMMITTED_ROWS = 10_000;
    /** Rows one transaction may carry. */
    static final int MAX_BATCH_ROWS = 2_000;
    /** Longest a transaction's first entry waits for more before the writer writes: 20 ms. */
    static final long GATHER_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

    private final LookupLogStore store;
    private final LongSupplier nanoTime;
    /** {@code lookup-log.write-behind}; zero: every lookup waits for its commit. */
    private final long maxLagNanos;
    /** {@link #GATHER_NANOS}, at most a fifth of {@link #maxLagNanos}; zero with a zero write-behind. */
    private final long gatherNanos;
    private final BlockingQueue<Pending> pending = new LinkedBlockingQueue<>();
    private final AtomicInteger uncommittedRows = new AtomicInteger();
    private final Thread thread;
    private static final long NONE = Long.MIN_VALUE;
    private static final System.Logger LOG = System.getLogger(LookupLogAppender.class.getName());

    private final Counter failedRows;
    /** Hand-over time of the oldest row in the transaction being written; {@link #NONE} when none is. */
    private volatile long writingSince = NONE;
    private volatile boolean lastWriteFailed;
    /** Someone waits for a commit (a lookup, flush, close): the writer stops gathering. */
    private volatile boolean urgent;
    private volatile boolean closed;

    LookupLogAppender(LookupLogStore store, MeterRegistry meters) {
        this(store, meters, System::nanoTime, MAX_LAG_NANOS);
    }

    LookupLogAppender(LookupLogStore store, MeterRegistry meters, long maxLagNanos) {
        this(store, meters, System::nanoTime, maxLagNanos);
    }

    LookupLogAppender(LookupLogStore store, MeterRegistry meters, LongSupplier nanoTime) {
        this(store, meters, nanoTime, MAX_LAG_NANOS);
    }

    LookupLogAppender(LookupLogStore store, MeterRegistry meters, LongSupplier nanoTime, long maxLagNanos) {
        this(store, meters, nanoTime, maxLagNanos, gatherNanos(maxLagNanos));
    }

    /** How long entries gather for a transaction under a write-behind of {@code maxLagNanos}. */
    static long gatherNanos(long maxLagNanos) {
        return Math.min(GATHER_NANOS, maxLagNanos / 5);
    }

    /** With {@code gatherNanos} instead of the default (tests). */
    LookupLogAppender(LookupLogStore store, MeterRegistry meters, LongSupplier nanoTime, long maxLagNanos,
                      long gatherNanos) {
        this.store = store;
        this.nanoTime = nanoTime;
        this.maxLagNanos = maxLagNanos;
        this.gatherNanos = gatherNanos;
        this.failedRows = Counter.builder("parley.lookuplog.failed")
                .description("Lookup-log entries whose write failed; those of lookups already answered are lost")
                .register(meters);
        this.thread = Thread.ofPlatform().name("parley-lookup-log").daemon().start(this::appendLoop);
    }

    /**
     * Hands {@code rows} over for the next transaction. Returns at once while the log keeps up;
     * waits for their commit (and throws if it fails) when the log is behind or failing.
     */
    void append(List<LookupLogStore.Row> rows) {
        if (rows.isEmpty()) {
            return;
        }
        Pending p = enqueue(rows);
        if (maxLagNanos == 0 || lastWriteFailed || isBehind(p.handedOverAt)) {
            awaitCommit(p);
        }
    }

    /** Returns once every row handed over before this call is committed (or has failed). */
    void flush() {
        awaitCommit(enqueue(List.of()));
    }

    private Pending enqueue(List<LookupLogStore.Row> rows) {
        if (closed) {
            throw new StorageException("the lookup log is closed", null);
        }
        Pending p = new Pending(rows, nanoTime.getAsLong(), System.nanoTime());
        if (uncommittedRows.addAndGet(rows.size()) >= MAX_BATCH_ROWS) {
            hurry();
        }
        pending.add(p);
        return p;
    }

    /** Ends the writer's gathering: someone waits, or a full transaction's worth is queued. */
    private void hurry() {
        urgent = true;
        LockSupport.unpark(thread);
    }

    private void awaitCommit(Pending p) {
        hurry();
        p.await();
    }

    private boolean isBehind(long now) {
        if (uncommittedRows.get() > MAX_UNCOMMITTED_ROWS) {
            return true;
        }
        long oldest = writingSince;
        Pending head = pending.peek();
        if (oldest == NONE && head != null) {
            oldest = head.handedOverAt;
        }
        return oldest != NONE && now - oldest > maxLagNanos;
    }

    private void appendLoop() {
        List<Pending> batch = new ArrayList<>();
        while (!closed || !pending.isEmpty()) {
            try {
                Pending first = pending.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                writingSince = first.handedOverAt;
                gather(first);
                // Cleared before the batch is taken: a hurry() from now on is for a later entry
                // (or one this batch carries anyway), so the next gathering honours it.
                urgent = false;
                batch.add(first);
                int rows = first.rows.size();
                for (Pending next; rows < MAX_BATCH_ROWS && (next = pending.poll()) != null; ) {
                    batch.add(next);
                    rows += next.rows.size();
                }
                write(batch, rows);
                uncommittedRows.addAndGet(-rows);
            } catch (InterruptedException e) {
                // close() interrupts only after it stopped new work; finish what is queued.
                Thread.interrupted();
            } finally {
                writingSince = NONE;
                batch.clear();
            }
        }
        StorageException closedError = new StorageException("the lookup log is closed", null);
        for (Pending left; (left = pending.poll()) != null; ) {
            left.done(closedError);
        }
    }

    /**
     * Lets {@code first} wait for company until {@link #gatherNanos} after its hand-over, unless
     * someone waits for a commit or the log closes. The writer only parks here: the lookups that
     * arrive meanwhile enqueue without waking it (the queue is not empty to them).
     */
    private void gather(Pending first) {
        long deadline = first.queuedAt + gatherNanos;
        for (long left; !urgent && !closed && (left = deadline - System.nanoTime()) > 0; ) {
            LockSupport.parkNanos(this, left);
        }
    }

    private void write(List<Pending> batch, int rowCount) {
        List<LookupLogStore.Row> rows = new ArrayList<>(rowCount);
        batch.forEach(p -> rows.addAll(p.rows));
        if (rows.isEmpty()) { // only flush markers: nothing to write, and nothing learned about the disk
            batch.forEach(p -> p.done(null));
            return;
        }
        try {
            store.append(rows);
            lastWriteFailed = false;
            batch.forEach(p -> p.done(null));
            return;
        } catch (RuntimeException e) {
            lastWriteFailed = true;
            if (batch.size() == 1) {
                failed(batch.getFirst(), e);
                return;
            }
        }
        // Nothing of the batch committed; one lookup's failure must not become everyone's.
        for (Pending p : batch) {
            if (p.rows.isEmpty()) {
                p.done(null);
                continue;
            }
            try {
                store.append(p.rows);
                lastWriteFailed = false;
                p.done(null);
            } catch (RuntimeException own) {
                lastWriteFailed = true;
                failed(p, own);
            }
        }
    }

    private void failed(Pending p, RuntimeException e) {
        failedRows.increment(p.rows.size());
        // The cause's message only: it names the database problem, never a handle or an address.
        LOG.log(System.Logger.Level.ERROR, "lookup-log write failed for " + p.rows.size()
                + " entries; lookups now wait for their entry's commit until a write succeeds: " + e.getMessage());
        p.done(e);
    }

    /** Commits everything handed over, then stops the thread; new rows are refused from now on. */
    @Override
    public void close() {
        closed = true;
        thread.interrupt();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** One lookup's rows and the hand-over of the outcome, for whoever waits for it. */
    private static final class Pending {
        private final List<LookupLogStore.Row> rows;
        private final long handedOverAt;
        /** {@link System#nanoTime()} at hand-over, for the gathering (tests may stop {@link #nanoTime}). */
        private final long queuedAt;
        private final CountDownLatch done = new CountDownLatch(1);
        private volatile RuntimeException error;

        Pending(List<LookupLogStore.Row> rows, long handedOverAt, long queuedAt) {
            this.rows = rows;
            this.handedOverAt = handedOverAt;
            this.queuedAt = queuedAt;
        }

        void done(RuntimeException failure) {
            error = failure;
            done.countDown();
        }

        void await() {
            // Wait for the outcome even if interrupted: the rows may still commit.
            Uninterruptibly.await(done);
            if (error != null) {
                throw error;
            }
        }
    }
}
