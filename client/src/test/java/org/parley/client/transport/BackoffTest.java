// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.client.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class BackoffTest {
    private static Backoff backoff(long seed) {
        return new Backoff(Duration.ofMillis(250), Duration.ofSeconds(30), new Random(seed));
    }

    @Property
    void delay_anyRetry_withinHalfToFullOfCappedDoubling(@ForAll @IntRange(min = 1, max = 500) int retry,
                                                         @ForAll long seed) {
        long ceiling = Math.min(30_000, 250L << Math.min(retry - 1, 20));

        long delay = backoff(seed).delay(retry).toMillis();

        assertTrue(delay >= ceiling / 2 && delay <= ceiling, "retry " + retry + ": " + delay + " ms");
    }

    @Test
    void delay_firstRetries_doubleUntilCap() {
        Backoff noJitterTop = new Backoff(Duration.ofMillis(100), Duration.ofMillis(1000), new Random(1) {
            @Override
            public long nextLong(long bound) {
                return bound - 1; // always the top of the range
            }
        });

        assertEquals(100, noJitterTop.delay(1).toMillis());
        assertEquals(200, noJitterTop.delay(2).toMillis());
        assertEquals(400, noJitterTop.delay(3).toMillis());
        assertEquals(800, noJitterTop.delay(4).toMillis());
        assertEquals(1000, noJitterTop.delay(5).toMillis());
        assertEquals(1000, noJitterTop.delay(Integer.MAX_VALUE).toMillis());
    }

    @Test
    void delay_sameRetryManyDevices_isSpread() {
        Set<Long> delays = new HashSet<>();
        for (long seed = 0; seed < 50; seed++) {
            delays.add(backoff(seed).delay(6).toMillis());
        }

        assertTrue(delays.size() > 25, "jitter must spread reconnects: " + delays);
        assertNotEquals(1, delays.size());
    }

    @Test
    void create_capBelowBase_isRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1), new Random()));

        assertTrue(e.getMessage().contains("base <= cap"), e.getMessage());
    }
}
