// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.sms;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;

/**
 * At most {@code max} events per key within {@code windowMillis}, counted in memory. Kept in memory on
 * purpose: the counters need the phone number and the client address, and a limit is no reason to
 * store those on disk. Keys without events in the window are dropped, so memory follows the traffic.
 */
final class SlidingWindowLimit {
    private final int max;
    private final long windowMillis;
    private final Map<String, Deque<Long>> events = new HashMap<>();
    private long lastSweep;

    SlidingWindowLimit(int max, long windowMillis) {
        this.max = max;
        this.windowMillis = windowMillis;
    }

    /**
     * Records an event for {@code key} at {@code now} if the limit allows it. Returns 0 when it did,
     * else the milliseconds until it would.
     */
    synchronized long tryAcquire(String key, long now) {
        sweep(now);
        Deque<Long> times = events.computeIfAbsent(key, k -> new ArrayDeque<>());
        while (!times.isEmpty() && times.peekFirst() <= now - windowMillis) {
            times.pollFirst();
        }
        if (times.size() >= max) {
            return Math.max(1, times.peekFirst() + windowMillis - now);
        }
        times.addLast(now);
        return 0;
    }

    private void sweep(long now) {
        if (now - lastSweep < windowMillis) {
            return;
        }
        lastSweep = now;
        events.values().removeIf(times -> times.isEmpty() || times.peekLast() <= now - windowMillis);
    }
}
