// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.storage;

import java.time.Instant;

/** Deletes one kind of record once it has outlived its retention. */
public interface Purger {
    /** A short metric-safe name such as {@code lookup-log}. */
    String name();

    /** Deletes what expired before {@code now}; returns how many records went. */
    long purge(Instant now);
}
