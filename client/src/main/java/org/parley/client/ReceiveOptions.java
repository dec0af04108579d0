// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.client;

import java.time.Duration;

/**
 * How {@link ParleyClient#receive} runs.
 *
 * @param mode        {@link Mode#DRAIN}: return once the server said the queue is drained;
 *                    {@link Mode#FOLLOW}: keep receiving new messages
 * @param timeout     how long to go on without progress (an envelope or the end of the backlog), reconnecting
 *                    included; null waits forever
 * @param maxMessages stop after this many history entries were handed over (0: no limit)
 * @param show        false stores and acks without handing entries to the handler; they stay unshown for
 *                    {@link ParleyClient#showUnshown} (identity changes still go to the handler)
 * @param observer    told when each envelope is stored and when it is acked
 */
public record ReceiveOptions(Mode mode, Duration timeout, int maxMessages, boolean show, ReceiveObserver observer) {
    /** Long enough for a node restart or a failover with backoff; a drain itself takes well under a second. */
    public static final Duration DEFAULT_DRAIN_TIMEOUT = Duration.ofSeconds(30);

    public enum Mode { DRAIN, FOLLOW }

    public ReceiveOptions {
        if (mode == null || observer == null) {
            throw new IllegalArgumentException("mode and observer are required");
        }
        if (timeout != null && (timeout.isNegative() || timeout.isZero())) {
            throw new IllegalArgumentException("the receive timeout must be positive (null waits forever); was " + timeout);
        }
        if (maxMessages < 0) {
            throw new IllegalArgumentException("maxMessages must be 0 (no limit) or more; was " + maxMessages);
        }
    }

    /** Receive the backlog, then return; give up after {@link #DEFAULT_DRAIN_TIMEOUT} without progress. */
    public static ReceiveOptions drain() {
        return new ReceiveOptions(Mode.DRAIN, DEFAULT_DRAIN_TIMEOUT, 0, true, ReceiveObserver.NONE);
    }

    /** Receive the backlog and every new message, reconnecting as needed, until the thread is interrupted. */
    public static ReceiveOptions follow() {
        return new ReceiveOptions(Mode.FOLLOW, null, 0, true, ReceiveObserver.NONE);
    }

    public ReceiveOptions withTimeout(Duration newTimeout) {
        return new ReceiveOptions(mode, newTimeout, maxMessages, show, observer);
    }

    public ReceiveOptions withMaxMessages(int limit) {
        return new ReceiveOptions(mode, timeout, limit, show, observer);
    }

    public ReceiveOptions storeOnly() {
        return new ReceiveOptions(mode, timeout, maxMessages, false, observer);
    }

    public ReceiveOptions withObserver(ReceiveObserver newObserver) {
        return new ReceiveOptions(mode, timeout, maxMessages, show, newObserver);
    }
}
