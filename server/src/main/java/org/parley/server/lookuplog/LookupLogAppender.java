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
 */
final class LookupLogAppender implements AutoCloseable {
    /** Default oldest an uncommitted entry may be before lookups wait for their commit: 100 ms. */
    static final long MAX_LAG_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    /** Most rows waiting or being written before lookups wait for their commit. */
    static final int MAX_UNCOMMITTED_ROWS = 10_000;
    /** Rows one transaction may carry. */
    static final int MAX_BATCH_ROWS = 2_000;

    private final LookupLogStore store;
    private final LongSupplier nanoTime;
    /** {@code lookup-log.write-behind}; zero: every lookup waits for its commit. */
    private final long maxLagNanos;
    private final BlockingQueue<Pending> pending = new LinkedBlockingQueue<>();
    private final AtomicInteger uncommittedRows = new AtomicInteger();
    private final Thread thread;
    private static final long NONE = Long.MIN_VALUE;
    private static final System.Logger LOG = System.getLogger(LookupLogAppender.class.getName());

    private final Counter failedRows;
    /** Hand-over time of the oldest row in the transaction being written; {@link #NONE} when none is. */
    private volatile long writingSince = NONE;
    private volatile boolean lastWriteFailed;
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
        this.store = store;
        this.nanoTime = nanoTime;
        this.maxLagNanos = maxLagNanos;
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
            p.await();
        }
    }

    /** Returns once every row handed over before this call is committed (or has failed). */
    void flush() {
        enqueue(List.of()).await();
    }

    private Pending enqueue(List<LookupLogStore.Row> rows) {
        if (closed) {
            throw new StorageException("the lookup log is closed", null);
        }
        Pending p = new Pending(rows, nanoTime.getAsLong());
        uncommittedRows.addAndGet(rows.size());
        pending.add(p);
        return p;
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
        private final CountDownLatch done = new CountDownLatch(1);
        private volatile RuntimeException error;

        Pending(List<LookupLogStore.Row> rows, long handedOverAt) {
            this.rows = rows;
            this.handedOverAt = handedOverAt;
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
