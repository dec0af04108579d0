// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.messages;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.parley.server.errors.RateLimited;

class SendAdmissionTest {
    @Test
    void admit_withAFreePermit_runsTheSend() {
        assertEquals("stored", new SendAdmission(1, Duration.ZERO).admit(() -> "stored"));
    }

    @Test
    void admit_whileTheStoreIsFull_refusesWithRetryAfter_andDoesNotRunTheSend() throws Exception {
        SendAdmission admission = new SendAdmission(1, Duration.ZERO);
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Thread holder = Thread.ofVirtual().start(() -> admission.admit(() -> {
            inside.countDown();
            awaitQuietly(release);
            return null;
        }));
        inside.await();

        RateLimited refused = assertThrows(RateLimited.class, () -> admission.admit(() -> {
            throw new AssertionError("a refused send must not reach the store");
        }));

        assertEquals(SendAdmission.RETRY_AFTER, refused.retryAfter());
        release.countDown();
        holder.join();
        assertEquals("again", admission.admit(() -> "again"));
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
