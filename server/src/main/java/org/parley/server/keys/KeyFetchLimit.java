// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.keys;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * How often one device may fetch the prekey bundles of one account: {@link #MAX_FETCHES} in any
 * {@link #WINDOW} (Signal's figure). Each fetch consumes one-time keys of the target, so without a
 * limit a single device could drain another's keys and push every sender onto the last-resort key.
 * The in-memory limit serves one node; a shared one (Redis) serves several, as the lookup quota does.
 */
public interface KeyFetchLimit {
    int MAX_FETCHES = 6;
    Duration WINDOW = Duration.ofMinutes(10);

    /**
     * Counts one fetch of {@code targetAccountId}'s bundles by the requesting device.
     *
     * @return empty when admitted (and counted); otherwise how long until the oldest counted fetch
     *         leaves the window
     */
    Optional<Duration> tryAcquire(String requesterAccountId, int requesterDeviceId, String targetAccountId, Instant now);

    /** The limit of one node, in memory. */
    static KeyFetchLimit inMemory() {
        return new InMemoryKeyFetchLimit(MAX_FETCHES, WINDOW);
    }
}
