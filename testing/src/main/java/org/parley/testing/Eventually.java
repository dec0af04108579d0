// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.testing;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Polls for a condition that asynchronous work makes true, instead of sleeping a fixed time. */
public final class Eventually {
    private Eventually() {}

    /** Returns once {@code condition} holds; fails naming {@code what} after {@code timeout}. */
    public static void eventually(BooleanSupplier condition, Duration timeout, String what) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting until " + what);
            }
            Thread.sleep(20);
        }
    }
}
