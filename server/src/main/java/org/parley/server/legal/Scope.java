// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.legal;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;

/**
 * What a request covers: normalised handles, a range of UTC days (both ends inclusive) and the
 * categories. Everything that reads data for a request goes through this one definition.
 */
record Scope(List<String> handles, LocalDate from, LocalDate until, Set<LegalCategory> categories) {
    public Scope {
        handles = List.copyOf(handles);
        categories = Set.copyOf(categories);
        if (until.isBefore(from)) {
            throw new IllegalArgumentException("the date range ends before it starts");
        }
    }

    /** Start of the first day, epoch millis, inclusive. */
    public long sinceMs() {
        return from.atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
    }

    /** Start of the day after the last, epoch millis, exclusive. */
    public long untilMs() {
        return until.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
    }

    public boolean covers(long timeMs) {
        return timeMs >= sinceMs() && timeMs < untilMs();
    }
}
