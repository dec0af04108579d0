// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.lookuplog;

import java.util.List;

/**
 * The private lookup's bucket fetches, as the lookup log reads them. The rows live in
 * {@code private_lookup_log}, owned and written by package {@code privatelookup}; the lookup log only
 * reads and forgets them through this interface, so that every reader of the lookup log (operator
 * query, legal productions, subject access) sees both kinds of lookup and none can silently miss one.
 */
public interface BucketFetchLog {
    /**
     * Rows made by {@code requesterAccountId} (or by anyone when null) in {@code [sinceMs, untilMs)}
     * (null bounds do not filter), ordered by time then id, at most {@code limit}.
     */
    List<LookupLog.LoggedLookup> find(String requesterAccountId, Long sinceMs, Long untilMs, int limit);

    /**
     * Deletes the rows {@code requesterAccountId} made except those an active preservation hold on
     * lookups by that account keeps (account deletion); returns how many went.
     */
    long deleteMadeBy(String requesterAccountId, long nowMs);

    /** A server without the private lookup's table (tests of the lookup log alone). */
    BucketFetchLog NONE = new BucketFetchLog() {
        @Override
        public List<LookupLog.LoggedLookup> find(String requesterAccountId, Long sinceMs, Long untilMs, int limit) {
            return List.of();
        }

        @Override
        public long deleteMadeBy(String requesterAccountId, long nowMs) {
            return 0;
        }
    };
}
