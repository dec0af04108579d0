// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.storage;

import java.time.Instant;
import java.util.Set;

/** Deletes one kind of record once it has outlived its retention. */
public interface Purger {
    /** A short metric-safe name such as {@code lookup-log}. */
    String name();

    /** Deletes what expired before {@code now}; returns how many records went. */
    long purge(Instant now);

    /**
     * The tables {@link #purge} deletes from. After each run the scheduler has the database scrub
     * them ({@link Database#scrubDeleted}), so that deleted rows are gone from the files too.
     */
    Set<String> tables();
}
