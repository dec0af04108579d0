// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.bench;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Send-to-receipt latency, matched by the server's guid: the send's 200 names it, and so does the
 * envelope frame. The two can arrive in either order (the envelope often beats the 200 to the client),
 * so whichever comes first leaves a stamp under the guid and the second one records the latency; the map
 * update is atomic per guid, so neither side can miss the other.
 *
 * <p>Only messages whose (intended) send time fell inside the measurement window are recorded, so the
 * histogram needs no reset between warm-up and measurement. Values are microseconds.
 */
final class LatencyTracker {
    private record Stamp(long nanos, boolean arrival, boolean measured) {}

    private final ConcurrentHashMap<String, Stamp> pending = new ConcurrentHashMap<>();
    private final Recorder recorder = new Recorder(3);
    private final LongAdder matched = new LongAdder();
    private final LongAdder duplicates = new LongAdder();
    private final LongAdder unsent = new LongAdder();

    /** The send of {@code guid}, started (or scheduled) at {@code sentNanos}, was answered 200. */
    void answered(String guid, long sentNanos, boolean measured) {
        pending.compute(guid, (g, stamp) -> {
            if (stamp == null) {
                return new Stamp(sentNanos, false, measured);
            }
            record(stamp.nanos() - sentNanos, measured);
            return null;
        });
    }

    /** The envelope {@code guid} arrived at {@code nanos}. */
    void arrived(String guid, long nanos) {
        pending.compute(guid, (g, stamp) -> {
            if (stamp == null) {
                return new Stamp(nanos, true, false);
            }
            if (stamp.arrival()) {
                duplicates.increment();
                return stamp;
            }
            record(nanos - stamp.nanos(), stamp.measured());
            return null;
        });
    }

    private void record(long nanos, boolean measured) {
        matched.increment();
        if (measured) {
            recorder.recordValue(Math.max(0, nanos / 1000));
        }
    }

    /**
     * A paced message scheduled inside the measurement window that was never sent because the server
     * fell behind; {@code nanos} is how late it already was when the run stopped (a lower bound).
     */
    void unsent(long nanos) {
        unsent.increment();
        recorder.recordValue(Math.max(0, nanos / 1000));
    }

    long unsent() {
        return unsent.sum();
    }

    /** Messages answered 200 and delivered. */
    long matched() {
        return matched.sum();
    }

    long duplicates() {
        return duplicates.sum();
    }

    /** Answered 200 but not (yet) delivered. */
    long undelivered() {
        return pending.values().stream().filter(s -> !s.arrival()).count();
    }

    /** Delivered, but the send was not (yet) answered 200. */
    long unanswered() {
        return pending.values().stream().filter(Stamp::arrival).count();
    }

    /** The latencies recorded since the last call. */
    Histogram takeHistogram() {
        return recorder.getIntervalHistogram();
    }
}
