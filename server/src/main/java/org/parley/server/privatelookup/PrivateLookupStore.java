// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.privatelookup;

import java.math.BigInteger;
import java.util.List;

/** Where the OPRF keys and the private-lookup log live. Speaks only our types. */
interface PrivateLookupStore {
    /** An OPRF secret scalar and when it was made. */
    record OprfKey(String id, BigInteger secret, long createdMs) {}

    /** A bucket fetch as the server saw it; {@code clientIp} already shaped by {@code lookup-log.mode}. */
    record LogRow(long timeMs, String requesterAccountId, int requesterDeviceId, String keyId, int prefixBits,
                  int bucket, String clientIp) {}

    /** Every key, newest first. */
    List<OprfKey> keys();

    void addKey(OprfKey key);

    void deleteKey(String keyId);

    void appendLog(LogRow row);

    /** Rows of the private-lookup log, oldest first, at most {@code limit}. */
    List<LogRow> log(int limit);

    /**
     * Deletes log rows with {@code time_ms < cutoffMs} except those an active preservation hold on
     * lookups by their requester keeps (not released, expiring after {@code nowMs}); returns how many went.
     */
    long deleteLogBefore(long cutoffMs, long nowMs);
}
