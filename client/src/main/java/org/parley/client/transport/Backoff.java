// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.client.transport;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * Jittered exponential backoff: before retry {@code n} (1-based) wait a random time in {@code [d/2, d]},
 * where {@code d = min(cap, base * 2^(n-1))}. The jitter spreads the reconnects of the many devices a
 * dying node drops at once; the lower half-bound keeps a device from hammering a server that is down.
 */
public record Backoff(Duration base, Duration cap, RandomGenerator random) {
    /** 250 ms doubling to 30 s: a restarting node is back within a few tries, a long outage costs little. */
    public static Backoff standard() {
        return new Backoff(Duration.ofMillis(250), Duration.ofSeconds(30), RandomGenerator.getDefault());
    }

    public Backoff {
        if (base.isNegative() || base.isZero() || cap.compareTo(base) < 0) {
            throw new IllegalArgumentException("backoff needs 0 < base <= cap; was base " + base + ", cap " + cap);
        }
    }

    /** The wait before retry {@code retry} (1 for the first retry). */
    public Duration delay(int retry) {
        if (retry < 1) {
            throw new IllegalArgumentException("retries count from 1; was " + retry);
        }
        long capMillis = cap.toMillis();
        long ceiling = Math.min(base.toMillis(), capMillis);
        for (int i = 1; i < retry && ceiling < capMillis; i++) {
            ceiling = Math.min(ceiling * 2, capMillis);
        }
        long floor = ceiling / 2;
        return Duration.ofMillis(floor + random.nextLong(ceiling - floor + 1));
    }
}
