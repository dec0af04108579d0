// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.lookuplog;

import java.util.List;

/** Where lookup-log rows live. Speaks only our types, so a PostgreSQL store can follow. */
interface LookupLogStore {
    /** A row to append; {@code clientIp} is already shaped by the mode. */
    record Row(long timeMs, String requesterAccountId, int requesterDeviceId, String queriedHandle,
               String route, String clientIp) {}

    /** Appends all rows in one transaction. */
    void append(List<Row> rows);

    /**
     * Deletes rows with {@code time_ms < cutoffMs} except those an active preservation hold covers
     * (not released, expiring after {@code nowMs}); returns how many went.
     */
    long deleteBefore(long cutoffMs, long nowMs);

    /**
     * Deletes the rows of lookups {@code requesterAccountId} made, except those an active hold
     * covering lookups by that account keeps (account deletion); returns how many went.
     */
    long deleteMadeBy(String requesterAccountId, long nowMs);

    /**
     * Rows matching every non-null filter, ordered by time then id.
     *
     * @param sinceMs inclusive, or null
     * @param untilMs exclusive, or null
     */
    List<LookupLog.LoggedLookup> find(String queriedHandle, String requesterAccountId, Long sinceMs, Long untilMs,
                                      int limit);
}
