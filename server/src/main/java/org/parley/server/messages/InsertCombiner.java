// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.messages;

import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.function.Predicate;
import org.parley.server.storage.StorageBusy;
import org.parley.server.storage.StorageException;

/**
 * Combines the inserts of concurrent sends into one database write (PostgreSQL): one lock
 * statement, one highest-id read and one pipelined batch of inserts for all of them, one commit.
 *
 * <p>Each send queues itself and takes the combining lock; whoever holds it takes every send
 * waiting (its own among them unless an earlier holder already committed it) and writes them
 * together, while the sends arriving meanwhile queue up for the next holder. A send returns only
 * after the commit that holds it. When the combined write fails, nothing of it was committed and
 * each send of it is written again alone, so a send whose own rows fail (a guid given twice) fails
 * alone and the others still commit; a saturated pool ({@link StorageBusy}) fails them all as it
 * is (429), since writing them one by one would only load the pool more.
 */
final class InsertCombiner {
    /** Envelopes one combined write takes at most; bounds the transaction of many large group sends. */
    static final int MAX_ENVELOPES = 4_096;

    /** One send's envelopes, and the predicate of {@link MessageStore#insertLinked}. */
    record Send(List<QueuedMessage> messages, Predicate<QueuedMessage> linked) {}

    private final Function<List<Send>, List<List<StoredEnvelope>>> together;
    private final ReentrantLock combining = new ReentrantLock();
    private final Queue<Pending> waiting = new ConcurrentLinkedQueue<>();

    /** {@code together} writes the sends in one transaction and returns each one's envelopes, in order. */
    InsertCombiner(Function<List<Send>, List<List<StoredEnvelope>>> together) {
        this.together = together;
    }

    /** Must not be called from inside a write: the combined write is a transaction of its own. */
    List<StoredEnvelope> insert(Send send) {
        Pending mine = new Pending(send);
        waiting.add(mine);
        combining.lock();
        try {
            while (!mine.done) {
                writeWaiting();
            }
        } finally {
            combining.unlock();
        }
        if (mine.error != null) {
            throw mine.error;
        }
        return mine.stored;
    }

    /** Sends queued and not yet taken by a write (tests). */
    int waiting() {
        return waiting.size();
    }

    /** Under the lock: writes the sends waiting, oldest first, up to {@link #MAX_ENVELOPES}. */
    private void writeWaiting() {
        List<Pending> batch = new ArrayList<>();
        int envelopes = 0;
        for (Pending p; envelopes < MAX_ENVELOPES && (p = waiting.poll()) != null; ) {
            batch.add(p);
            envelopes += p.send.messages().size();
        }
        try {
            write(batch);
        } finally {
            // Written under the lock; the owners read them after taking it. Even an Error marks
            // them done (with a failure), or their owners would wait for a batch already taken.
            for (Pending p : batch) {
                if (p.stored == null && p.error == null) {
                    p.error = new StorageException("the combined insert was interrupted", null);
                }
                p.done = true;
            }
        }
    }

    /** Writes the batch together; when that fails, each send alone (but not when the pool is saturated). */
    private void write(List<Pending> batch) {
        try {
            List<List<StoredEnvelope>> stored = together.apply(batch.stream().map(Pending::send).toList());
            for (int i = 0; i < batch.size(); i++) {
                batch.get(i).stored = stored.get(i);
            }
        } catch (RuntimeException e) {
            if (batch.size() == 1 || e instanceof StorageBusy) {
                batch.forEach(p -> p.error = e);
                return;
            }
            for (Pending p : batch) {
                try {
                    p.stored = together.apply(List.of(p.send)).getFirst();
                } catch (RuntimeException alone) {
                    p.error = alone;
                }
            }
        }
    }

    private static final class Pending {
        final Send send;
        boolean done;
        List<StoredEnvelope> stored;
        RuntimeException error;

        Pending(Send send) {
            this.send = send;
        }

        Send send() {
            return send;
        }
    }
}
