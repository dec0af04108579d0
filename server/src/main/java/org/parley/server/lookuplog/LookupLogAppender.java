// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.lookuplog;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.parley.server.storage.StorageException;

/**
 * Writes lookup-log rows for all concurrent lookups together: one thread takes every batch that is
 * waiting, appends them in one transaction (multi-row INSERTs), and releases each caller once that
 * transaction is committed. So "every lookup answered was logged" still holds, but a storm of
 * lookups pays for one write and one commit per batch instead of one savepoint, statement and
 * hand-over per lookup.
 */
final class LookupLogAppender implements AutoCloseable {
    /** Rows one transaction may carry; bounds what its first caller waits for. */
    static final int MAX_BATCH_ROWS = 2_000;

    private final LookupLogStore store;
    private final BlockingQueue<Pending> pending = new LinkedBlockingQueue<>();
    private final Thread thread;
    private volatile boolean closed;

    LookupLogAppender(LookupLogStore store) {
        this.store = store;
        this.thread = Thread.ofPlatform().name("parley-lookup-log").daemon().start(this::appendLoop);
    }

    /** Appends {@code rows} in one transaction, shared with other callers'; returns once it is committed. */
    void append(List<LookupLogStore.Row> rows) {
        if (rows.isEmpty()) {
            return;
        }
        if (closed) {
            throw new StorageException("the lookup log is closed", null);
        }
        Pending p = new Pending(rows);
        pending.add(p);
        p.await();
    }

    private void appendLoop() {
        List<Pending> batch = new ArrayList<>();
        while (!closed || !pending.isEmpty()) {
            try {
                Pending first = pending.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                int rows = first.rows.size();
                for (Pending next; rows < MAX_BATCH_ROWS && (next = pending.poll()) != null; ) {
                    batch.add(next);
                    rows += next.rows.size();
                }
                write(batch, rows);
            } catch (InterruptedException e) {
                // close() interrupts only after it stopped new work; finish what is queued.
                Thread.interrupted();
            } finally {
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
        try {
            store.append(rows);
            batch.forEach(p -> p.done(null));
        } catch (RuntimeException e) {
            if (batch.size() == 1) {
                batch.getFirst().done(e);
                return;
            }
            // Nothing of the batch committed; one caller's failure must not become everyone's.
            for (Pending p : batch) {
                try {
                    store.append(p.rows);
                    p.done(null);
                } catch (RuntimeException own) {
                    p.done(own);
                }
            }
        }
    }

    /** Finishes what is queued, then stops the thread. */
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

    /** One caller's rows and the hand-over of the outcome. */
    private static final class Pending {
        private final List<LookupLogStore.Row> rows;
        private final CountDownLatch done = new CountDownLatch(1);
        private RuntimeException error;

        Pending(List<LookupLogStore.Row> rows) {
            this.rows = rows;
        }

        void done(RuntimeException failure) {
            error = failure;
            done.countDown();
        }

        void await() {
            boolean interrupted = false;
            // Wait for the outcome even if interrupted: the rows may still commit, and the lookup
            // must not be answered as logged before they have.
            while (true) {
                try {
                    done.await();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
            if (error != null) {
                throw error;
            }
        }
    }
}
