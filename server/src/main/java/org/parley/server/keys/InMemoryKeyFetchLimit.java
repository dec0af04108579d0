// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.keys;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@link KeyFetchLimit} for a single node: per (requesting device, target account) the times of the
 * fetches inside the window, a sliding window. Account ids are random UUIDs, not handles, so the
 * keys reveal nothing a heap dump should not. Pairs idle for a whole window are swept at most once a
 * window, so memory is bounded by the pairs active in the last two windows.
 */
final class InMemoryKeyFetchLimit implements KeyFetchLimit {
    private final int max;
    private final long windowMs;
    private final ConcurrentHashMap<String, ArrayDeque<Long>> fetches = new ConcurrentHashMap<>();
    private final AtomicLong lastSweep = new AtomicLong();

    InMemoryKeyFetchLimit(int max, Duration window) {
        if (max < 1 || window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("the key-fetch limit needs a positive count and window");
        }
        this.max = max;
        this.windowMs = window.toMillis();
    }

    @Override
    public Optional<Duration> tryAcquire(String requesterAccountId, int requesterDeviceId, String targetAccountId,
                                         Instant now) {
        long nowMs = now.toEpochMilli();
        sweep(nowMs);
        long[] wait = {0};
        fetches.compute(requesterAccountId + "/" + requesterDeviceId + ">" + targetAccountId, (pair, times) -> {
            ArrayDeque<Long> window = times == null ? new ArrayDeque<>() : times;
            while (!window.isEmpty() && window.peekFirst() <= nowMs - windowMs) {
                window.pollFirst();
            }
            if (window.size() >= max) {
                wait[0] = window.peekFirst() + windowMs - nowMs;
            } else {
                window.addLast(nowMs);
            }
            return window;
        });
        return wait[0] > 0 ? Optional.of(Duration.ofMillis(wait[0])) : Optional.empty();
    }

    private void sweep(long nowMs) {
        long last = lastSweep.get();
        if (nowMs - last >= windowMs && lastSweep.compareAndSet(last, nowMs)) {
            // Per key through computeIfPresent, so a sweep never races a fetch of the same pair.
            for (String pair : fetches.keySet()) {
                fetches.computeIfPresent(pair, (k, times) ->
                        times.isEmpty() || times.peekLast() <= nowMs - windowMs ? null : times);
            }
        }
    }

    /** Pairs with counters held, for tests of the memory bound. */
    int trackedPairs() {
        return fetches.size();
    }
}
