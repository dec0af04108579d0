// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.sealedsender;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * At most a number of events per key in each fixed UTC minute: the sealed-send limits per client IP
 * and per recipient. {@link #inMemory} counts on one node; a shared limit (Redis, package
 * {@code cluster}) counts across the nodes of a deployment, as the lookup quota and key-fetch limit do.
 */
public interface MinuteLimit {
    /**
     * Counts one event for {@code key} in the minute of {@code now}, if the minute's budget allows.
     *
     * @return empty when admitted (and counted); otherwise how long until the minute ends
     */
    default Optional<Duration> tryAcquire(String key, Instant now) {
        return tryAcquire(key, now, 1);
    }

    /**
     * Counts {@code events} for {@code key} at once: all admitted or none counted (a sealed send to many
     * accounts counts one per account, so it cannot cost less than sending to each).
     *
     * @return empty when admitted (and counted); otherwise how long until the minute ends
     */
    Optional<Duration> tryAcquire(String key, Instant now, int events);

    /** One node's limit of {@code max} a minute per key, in memory. */
    static MinuteLimit inMemory(int max) {
        return new MinuteWindows(max);
    }

    /** Puts a shared limit in front of a node's own one, or returns the node's own on a single node. */
    @FunctionalInterface
    interface Sharing {
        /**
         * @param name  what the limit counts ({@code ip}, {@code recipient}): keeps the two apart in a shared store
         * @param max   events per key per minute
         * @param local the node's own limit, which decides whenever the shared one cannot answer
         */
        MinuteLimit share(String name, int max, MinuteLimit local);

        /** A single node: every limit is the node's own. */
        Sharing NONE = (name, max, local) -> local;
    }
}
