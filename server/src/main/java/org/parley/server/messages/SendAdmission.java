// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.messages;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.parley.server.errors.RateLimited;

/**
 * Backpressure in front of the store: at most {@code permits} sends are inside the store at once;
 * the others wait here, in arrival order, up to {@code maxWait}, and are then refused with
 * {@link RateLimited} (429 and {@code Retry-After}, or a WebSocket {@code send-result} with
 * {@code retryAfterSeconds}). A saturated store thus slows senders down, and a sender that waited
 * too long is told to come back rather than failed: its send was not stored.
 *
 * <p>Why bound it here and not only in the store: on PostgreSQL every waiting send would otherwise
 * wait in the connection pool, where a timeout is indistinguishable from a database outage; on
 * SQLite the group-commit queue would grow without bound and every send's latency with it.
 */
final class SendAdmission {
    /** Sends in the store at once: enough to fill the largest group commit several times over. */
    static final int DEFAULT_PERMITS = 1024;
    static final Duration DEFAULT_MAX_WAIT = Duration.ofSeconds(5);
    static final Duration RETRY_AFTER = Duration.ofSeconds(1);

    private final Semaphore permits;
    private final Duration maxWait;

    SendAdmission(int permits, Duration maxWait) {
        this.permits = new Semaphore(permits, true);
        this.maxWait = maxWait;
    }

    /** Runs {@code send} once admitted. */
    <T> T admit(java.util.function.Supplier<T> send) {
        boolean admitted;
        try {
            admitted = permits.tryAcquire(maxWait.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RateLimited("the server is shutting down; send again later", RETRY_AFTER);
        }
        if (!admitted) {
            throw new RateLimited("the server is busy storing messages; send again after the given time", RETRY_AFTER);
        }
        try {
            return send.get();
        } finally {
            permits.release();
        }
    }

    /** Sends waiting for admission now (a gauge). */
    int waiting() {
        return permits.getQueueLength();
    }
}
