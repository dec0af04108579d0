// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.lookuplog;

import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import org.parley.server.storage.Purger;

/**
 * Deletes lookup-log entries older than {@code lookup-log.retention}: the published promise. The one
 * exception is an entry under an active preservation hold (see {@code holds.sql} and docs/legal.md).
 */
final class LookupLogPurger implements Purger {
    private final LookupLogStore store;
    private final Duration retention;
    private final Runnable flush;

    /** {@code flush} commits the entries recorded so far, so that the purge sees every one of them. */
    LookupLogPurger(LookupLogStore store, Duration retention, Runnable flush) {
        this.store = store;
        this.retention = retention;
        this.flush = flush;
    }

    @Override
    public String name() {
        return "lookup-log";
    }

    @Override
    public long purge(Instant now) {
        flush.run();
        return store.deleteBefore(now.minus(retention).toEpochMilli(), now.toEpochMilli());
    }

    @Override
    public Set<String> tables() {
        return Set.of("lookup_log");
    }
}
