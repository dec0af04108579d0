// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.sms;

import java.util.concurrent.TimeUnit;

/**
 * Spaces submits evenly at {@code perSecond}: each caller takes the next free slot, one interval after
 * the previous, and sleeps until it. No burst is saved up while idle, because gateways count submits
 * per second and refuse (ESME_RTHROTTLED) beyond their contract, not on average over a minute.
 */
final class Pacer {
    private final long intervalNanos;
    private long next;

    Pacer(int perSecond) {
        if (perSecond < 1) {
            throw new IllegalArgumentException("submits per second must be at least 1, was " + perSecond);
        }
        this.intervalNanos = TimeUnit.SECONDS.toNanos(1) / perSecond;
        this.next = System.nanoTime();
    }

    /** Waits for this caller's slot; true when it had to wait (it was throttled). */
    boolean await() throws InterruptedException {
        long slot;
        synchronized (this) {
            long now = System.nanoTime();
            slot = Math.max(now, next);
            next = slot + intervalNanos;
        }
        long wait = slot - System.nanoTime();
        if (wait > 0) {
            TimeUnit.NANOSECONDS.sleep(wait);
            return true;
        }
        return false;
    }
}
