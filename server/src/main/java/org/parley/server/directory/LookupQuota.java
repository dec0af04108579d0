// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.directory;

import java.time.Instant;
import java.util.Collection;

/**
 * The per-account budget of distinct handles looked up per UTC day
 * ({@code directory.max-distinct-handles-per-day}). It is what makes enumerating the user base
 * slow. The in-memory implementation serves one node; a shared one (Redis) is for several.
 */
public interface LookupQuota {
    /**
     * Counts {@code handles} against the account's budget for the UTC day of {@code now}. Handles
     * already counted that day are free. Either all new handles fit and are counted, or none is
     * counted and the request is refused.
     *
     * @param handles normalised handles; duplicates count once
     * @return true when admitted
     */
    boolean tryAcquire(String accountId, Collection<String> handles, Instant now);

    /** The quota of one node, in memory, keyed with a random per-process HMAC key. */
    static LookupQuota inMemory(int maxPerDay, java.security.SecureRandom random) {
        return new InMemoryLookupQuota(maxPerDay, random);
    }
}
