// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.storage;

import java.util.concurrent.CountDownLatch;

/**
 * Waits that an interrupt must not cut short. A caller waiting for a commit has to learn its
 * outcome: returning early would report a failure for work that then commits, or success for work
 * not yet durable. The interrupt is kept and re-asserted once the wait is over.
 */
public final class Uninterruptibly {
    private Uninterruptibly() {}

    public static void await(CountDownLatch latch) {
        boolean interrupted = false;
        while (true) {
            try {
                latch.await();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
