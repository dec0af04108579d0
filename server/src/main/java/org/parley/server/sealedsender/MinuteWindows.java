// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.sealedsender;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A fixed one-minute window counter per key, in memory, for one node. Memory is bounded by the keys
 * active in the current minute: keys of past minutes are dropped at the first request of a new one.
 * On a cluster a shared {@link MinuteLimit} (Redis) counts in front of it and it decides only while
 * Redis does not answer; each node then admits up to its own budget.
 */
final class MinuteWindows implements MinuteLimit {
    private static final long MINUTE = 60_000;

    private final int max;
    private final ConcurrentHashMap<String, Window> windows = new ConcurrentHashMap<>();
    private final AtomicLong sweptMinute = new AtomicLong(Long.MIN_VALUE);

    private record Window(long minute, int count) {}

    MinuteWindows(int max) {
        this.max = max;
    }

    @Override
    public Optional<Duration> tryAcquire(String key, Instant now, int events) {
        long minute = Math.floorDiv(now.toEpochMilli(), MINUTE);
        sweep(minute);
        boolean[] admitted = new boolean[1];
        windows.compute(key, (k, w) -> {
            Window current = w == null || w.minute() != minute ? new Window(minute, 0) : w;
            if (current.count() <= max - events) {
                admitted[0] = true;
                return new Window(minute, current.count() + events);
            }
            return current;
        });
        if (admitted[0]) {
            return Optional.empty();
        }
        return Optional.of(Duration.ofMillis((minute + 1) * MINUTE - now.toEpochMilli()));
    }

    private void sweep(long minute) {
        long last = sweptMinute.get();
        if (last < minute && sweptMinute.compareAndSet(last, minute)) {
            windows.values().removeIf(w -> w.minute() < minute);
        }
    }

    int trackedKeys() {
        return windows.size();
    }
}
