// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.bench;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counters and windows of one relay run. A window permit is taken when a send starts and given back
 * when the receiver has written the ack (or when the send failed, since nothing will arrive).
 */
final class RelayRun {
    private final Semaphore[] windows;
    private final long measureStart;
    private final long measureEnd;
    private final LatencyTracker tracker = new LatencyTracker();
    private final LongAdder sent = new LongAdder();
    private final LongAdder answered = new LongAdder();
    private final LongAdder failedSends = new LongAdder();
    private final LongAdder delivered = new LongAdder();
    private final LongAdder acked = new LongAdder();
    private final LongAdder deliveredInWindow = new LongAdder();
    private final LongAdder ackedInWindow = new LongAdder();
    private final LongAdder answeredInWindow = new LongAdder();
    private final AtomicLong httpInFlight = new AtomicLong();
    private final Map<String, LongAdder> errors = new ConcurrentHashMap<>();
    /** Sends the server answered 429 (backpressure) and the generator made again: slowed, not failed. */
    private final LongAdder retried429 = new LongAdder();
    private boolean drained;
    private double drainSeconds;

    RelayRun(int flows, int window, long measureStart, long measureEnd) {
        this.windows = new Semaphore[flows];
        for (int i = 0; i < flows; i++) {
            windows[i] = new Semaphore(window);
        }
        this.measureStart = measureStart;
        this.measureEnd = measureEnd;
    }

    long measureStart() {
        return measureStart;
    }

    long measureEnd() {
        return measureEnd;
    }

    /** Takes a window slot of the flow, waiting at most until {@code deadline}; false when it passed. */
    boolean acquire(int flow, long deadline) {
        try {
            long wait = deadline - System.nanoTime();
            return wait > 0 && windows[flow].tryAcquire(wait, TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    void release(int flow) {
        windows[flow].release();
    }

    void sending() {
        sent.increment();
        httpInFlight.incrementAndGet();
    }

    void answered(String guid, long intended, boolean measured) {
        httpInFlight.decrementAndGet();
        answered.increment();
        if (inWindow(System.nanoTime())) {
            answeredInWindow.increment();
        }
        tracker.answered(guid, intended, measured);
    }

    void failedSend(int flow, String what) {
        httpInFlight.decrementAndGet();
        failedSends.increment();
        error(what);
        windows[flow].release();
    }

    void envelope(String guid, long nanos) {
        delivered.increment();
        if (inWindow(nanos)) {
            deliveredInWindow.increment();
        }
        tracker.arrived(guid, nanos);
    }

    void acked(int flow, long nanos) {
        acked.increment();
        if (inWindow(nanos)) {
            ackedInWindow.increment();
        }
        windows[flow].release();
    }

    void unsent(long lateNanos) {
        tracker.unsent(lateNanos);
    }

    void retried429() {
        retried429.increment();
    }

    void error(String what) {
        errors.computeIfAbsent(what, k -> new LongAdder()).increment();
    }

    private boolean inWindow(long nanos) {
        return nanos >= measureStart && nanos < measureEnd;
    }

    /** Waits until every answered send is delivered and no send is outstanding, or the timeout passes. */
    void drain(Duration timeout) {
        long begin = System.nanoTime();
        long deadline = begin + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (httpInFlight.get() == 0 && tracker.undelivered() == 0) {
                drained = true;
                break;
            }
            RelayEngine.sleepUntil(System.nanoTime() + 50_000_000L);
        }
        drainSeconds = (System.nanoTime() - begin) / 1e9;
    }

    long ackedInWindow() {
        return ackedInWindow.sum();
    }

    /** The figures of this run. */
    Map<String, Object> results(double durationSeconds) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("acked_per_second", ResourceMonitor.round(ackedInWindow.sum() / durationSeconds, 1));
        m.put("delivered_per_second", ResourceMonitor.round(deliveredInWindow.sum() / durationSeconds, 1));
        m.put("answered_per_second", ResourceMonitor.round(answeredInWindow.sum() / durationSeconds, 1));
        m.put("latency", Latency.of(tracker.takeHistogram()).toMap());
        long unsent = tracker.unsent();
        m.put("scheduled_but_unsent", unsent);
        if (unsent > 0) {
            m.put("latency_note", "the server fell behind the offered load: " + unsent + " scheduled sends never"
                    + " started and count at how late they were when the run stopped, so latency is a lower bound");
        }
        m.put("sent", sent.sum());
        m.put("answered_200", answered.sum());
        m.put("delivered", delivered.sum());
        m.put("acked", acked.sum());
        m.put("failed_sends", failedSends.sum());
        m.put("retried_429", retried429.sum());
        m.put("lost", tracker.undelivered());
        m.put("delivered_unanswered", tracker.unanswered());
        m.put("duplicates", tracker.duplicates());
        m.put("drained", drained);
        m.put("drain_seconds", ResourceMonitor.round(drainSeconds, 2));
        Map<String, Long> kinds = new TreeMap<>();
        errors.forEach((k, v) -> kinds.put(k, v.sum()));
        m.put("errors", kinds.values().stream().mapToLong(Long::longValue).sum());
        m.put("error_kinds", kinds.toString());
        return m;
    }
}
