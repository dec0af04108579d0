// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.sms;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Moves SMS from the outbox to the gateway. One loop claims queued SMS (with a lease, so no other
 * node and no earlier run of this one submits them at the same time), submits their open parts
 * through the {@link SmppLink} (several at once, as far as the window allows), and records each
 * acceptance as it comes: an accepted part is never submitted again, and when the last part is
 * accepted the text is deleted.
 *
 * <p>What survives what: the outbox is in the database, so a restart or a lost bind loses nothing;
 * a part whose {@code submit_sm} went out but whose response was lost is submitted again under the
 * same client id, which a de-duplicating gateway recognises (docs/sms.md says which gateways do).
 */
final class SmsDispatcher implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(SmsDispatcher.class.getName());
    /** A claim outlives any batch: 255 parts at 10/s take 26 s. A crashed node's claims free up after it. */
    static final long LEASE_MILLIS = 60_000;
    /** Receipts for ids not (yet) in the outbox: a receipt can overtake the recording of its submit_sm_resp. */
    private static final int EARLY_RECEIPTS = 10_000;

    private final SmsOutbox outbox;
    private final SmppLink link;
    private final Clock clock;
    private final SmsMetrics metrics;
    private final int batch;
    private final String owner = UUID.randomUUID().toString();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition work = lock.newCondition();
    private final Condition progress = lock.newCondition();
    private final Map<String, PartState> early = new LinkedHashMap<>();
    private final AtomicBoolean wake = new AtomicBoolean(true);
    private final Thread loop;
    private volatile boolean closed;

    SmsDispatcher(SmsOutbox outbox, SmppLink link, Clock clock, SmsMetrics metrics, int window) {
        this.outbox = outbox;
        this.link = link;
        this.clock = clock;
        this.metrics = metrics;
        this.batch = Math.max(8, window * 2);
        this.loop = Thread.ofVirtual().name("parley-sms-dispatcher").unstarted(this::run);
    }

    void start() {
        loop.start();
    }

    /** Something was queued, or the link came up: look at the outbox now rather than at the next poll. */
    void wake() {
        wake.set(true);
        lock.lock();
        try {
            work.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** A delivery receipt from the gateway. */
    void receipt(String smscId, PartState state) {
        metrics.receipt(state);
        if (!outbox.receipt(smscId, state, clock.millis())) {
            // Not recorded yet: park it, then look once more, because the part's acceptance may have been
            // recorded (and the parked receipts checked) between the first look and the parking.
            lock.lock();
            try {
                if (early.size() >= EARLY_RECEIPTS) {
                    early.remove(early.keySet().iterator().next());
                }
                early.put(smscId, state);
            } finally {
                lock.unlock();
            }
            if (outbox.receipt(smscId, state, clock.millis())) {
                takeEarly(smscId);
            }
        }
        signalProgress();
    }

    private PartState takeEarly(String smscId) {
        lock.lock();
        try {
            return early.remove(smscId);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits up to {@code millis} for SMS {@code id} to leave the queued state; returns its state then
     * (still {@code queued} when the time ran out).
     */
    SmsState awaitSubmitted(String id, long millis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        while (true) {
            SmsState state = outbox.find(id).map(SmsRecord::status).orElse(SmsState.FAILED);
            long left = deadline - System.nanoTime();
            if (state != SmsState.QUEUED || left <= 0) {
                return state;
            }
            lock.lock();
            try {
                progress.awaitNanos(Math.min(left, TimeUnit.MILLISECONDS.toNanos(200)));
            } finally {
                lock.unlock();
            }
        }
    }

    private void run() {
        while (!closed) {
            try {
                if (!link.awaitBound(1000)) {
                    continue;
                }
                long now = clock.millis();
                List<SmsOutbox.Claimed> claimed = outbox.claim(owner, now, now + LEASE_MILLIS, batch);
                if (claimed.isEmpty()) {
                    idle();
                    continue;
                }
                if (submitAll(claimed)) {
                    // Throttled by the gateway or the bind went away: do not hammer it.
                    idleQuietly();
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                // A database hiccup: the claims run out and the next round retries.
                LOG.log(System.Logger.Level.ERROR, "SMS dispatch round failed: " + e.getMessage(), e);
                idleQuietly();
            }
        }
    }

    /** Submits every open part of {@code claimed} at once (the link's window bounds it), then settles each SMS. */
    private boolean submitAll(List<SmsOutbox.Claimed> claimed) {
        List<Pending> pending = new ArrayList<>(claimed.size());
        // Closing the executor waits for every part task: the outcomes are complete after the block.
        try (ExecutorService parts = Executors.newVirtualThreadPerTaskExecutor()) {
            for (SmsOutbox.Claimed sms : claimed) {
                if (sms.openParts().isEmpty()) {
                    // Every part was accepted before a crash kept the status from being updated.
                    outbox.accepted(sms.id(), 0, null, clock.millis());
                    continue;
                }
                SmsEncoder.Encoded encoded = SmsEncoder.encode(sms.body(), sms.reference());
                Outcome outcome = new Outcome();
                pending.add(new Pending(sms.id(), outcome));
                for (int seq : sms.openParts()) {
                    SmppLink.Part part = new SmppLink.Part(sms.id() + "." + seq, sms.recipient(), encoded.alphabet(),
                            encoded.concatenated(), encoded.parts().get(seq - 1));
                    parts.submit(() -> submitOne(sms.id(), seq, part, outcome));
                }
            }
        }
        boolean retry = false;
        for (Pending p : pending) {
            if (p.outcome().refused != null) {
                outbox.failed(p.id(), p.outcome().refused, clock.millis());
            } else if (p.outcome().retry) {
                outbox.release(p.id(), owner);
                retry = true;
            }
        }
        signalProgress();
        return retry;
    }

    private record Pending(String id, Outcome outcome) {}

    /** What happened to one SMS's parts in this round; written by its part tasks. */
    private static final class Outcome {
        volatile String refused;
        volatile boolean retry;
    }

    private void submitOne(String id, int seq, SmppLink.Part part, Outcome outcome) {
        try {
            String smscId = link.submit(part);
            outbox.accepted(id, seq, smscId, clock.millis());
            PartState early = takeEarly(smscId);
            if (early != null) {
                outbox.receipt(smscId, early, clock.millis());
            }
            signalProgress();
        } catch (SmppLink.Refused e) {
            if (e.transient_()) {
                outcome.retry = true;
            } else {
                outcome.refused = e.getMessage();
            }
        } catch (SmppLink.Unavailable e) {
            outcome.retry = true;
        } catch (InterruptedException e) {
            outcome.retry = true;
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "recording an SMS part failed: " + e.getMessage(), e);
            outcome.retry = true;
        }
    }

    private void idle() throws InterruptedException {
        lock.lock();
        try {
            if (!wake.getAndSet(false)) {
                work.await(1, TimeUnit.SECONDS);
            }
        } finally {
            lock.unlock();
        }
    }

    private void idleQuietly() {
        try {
            lock.lock();
            try {
                work.await(1, TimeUnit.SECONDS);
            } finally {
                lock.unlock();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void signalProgress() {
        lock.lock();
        try {
            progress.signalAll();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void close() {
        closed = true;
        loop.interrupt();
        try {
            loop.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
