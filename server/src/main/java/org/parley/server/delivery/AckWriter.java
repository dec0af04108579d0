// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.delivery;

import io.micrometer.core.instrument.Counter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.parley.server.messages.MessageStore;
import org.parley.server.messages.QueueEntry;

/**
 * Deletes acknowledged envelopes for every connection of this node, many per transaction: while
 * one delete commits, the acks arriving meanwhile gather for the next one. An ack still means
 * "delete this envelope durably"; only the moment differs. If the node dies before the delete
 * commits, the envelope goes out again on the next connection, and clients drop it by its guid.
 * A new connection first waits for the acks taken so far ({@link #awaitWritten}), so a device
 * that reconnects to the same node is not sent what it has just acknowledged.
 */
final class AckWriter implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(AckWriter.class.getName());
    /** Bounds one transaction, so a huge backlog of acks cannot hold the writer for long. */
    private static final int MAX_BATCH = 1_000;

    private final MessageStore store;
    private final Counter acks;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private List<QueueEntry> pending = new ArrayList<>();
    /** Acks taken so far, and how many of them have been written (deleted or found gone). */
    private long taken;
    private long written;
    private boolean closing;
    private final Thread thread;

    AckWriter(MessageStore store, Counter acks) {
        this.store = store;
        this.acks = acks;
        this.thread = Thread.ofVirtual().name("parley-ack-writer").start(this::run);
    }

    /** Takes an ack for writing; returns at once. */
    void ack(QueueEntry entry) {
        lock.lock();
        try {
            pending.add(entry);
            taken++;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Waits (up to {@code timeout}) until every ack taken before this call has been written. */
    void awaitWritten(Duration timeout) throws InterruptedException {
        lock.lock();
        try {
            long target = taken;
            long nanos = timeout.toNanos();
            while (written < target && nanos > 0) {
                nanos = changed.awaitNanos(nanos);
            }
        } finally {
            lock.unlock();
        }
    }

    private void run() {
        while (true) {
            List<QueueEntry> batch;
            lock.lock();
            try {
                while (pending.isEmpty() && !closing) {
                    changed.awaitUninterruptibly();
                }
                if (pending.isEmpty()) {
                    return;
                }
                if (pending.size() <= MAX_BATCH) {
                    batch = pending;
                    pending = new ArrayList<>();
                } else {
                    batch = new ArrayList<>(pending.subList(0, MAX_BATCH));
                    pending = new ArrayList<>(pending.subList(MAX_BATCH, pending.size()));
                }
            } finally {
                lock.unlock();
            }
            try {
                acks.increment(store.delete(batch));
            } catch (RuntimeException e) {
                // The envelopes stay queued and are delivered again on the next connection.
                LOG.log(System.Logger.Level.ERROR, "deleting acknowledged envelopes failed: " + e.getMessage(), e);
            }
            lock.lock();
            try {
                written += batch.size();
                changed.signalAll();
            } finally {
                lock.unlock();
            }
        }
    }

    /** Writes the acks already taken, then stops. */
    @Override
    public void close() {
        lock.lock();
        try {
            closing = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        try {
            thread.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
