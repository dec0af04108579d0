// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.lookuplog;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.parley.server.accounts.Accounts;
import org.parley.server.config.LookupLogMode;

/**
 * {@link LookupLog} over a {@link LookupLogStore}, applying the configured mode, and over the private
 * lookup's {@link BucketFetchLog}: every read merges both kinds, so no reader can leave one out.
 */
final class LookupLogService implements LookupLog {
    private final LookupLogStore store;
    private final BucketFetchLog fetches;
    private final LookupLogAppender appender;
    private final Accounts accounts;
    private final Clock clock;
    private final LookupLogMode mode;
    private final Counter written;

    LookupLogService(LookupLogStore store, BucketFetchLog fetches, LookupLogAppender appender, Accounts accounts,
                     Clock clock, LookupLogMode mode, MeterRegistry meters) {
        this.store = store;
        this.fetches = fetches;
        this.appender = appender;
        this.accounts = accounts;
        this.clock = clock;
        this.mode = mode;
        this.written = Counter.builder("parley.lookuplog.entries")
                .description("Lookup-log entries recorded (handed to the appender, committed within its bounded delay)")
                .register(meters);
    }

    @Override
    public void record(List<Entry> entries) {
        if (mode == LookupLogMode.OFF || entries.isEmpty()) {
            return;
        }
        long now = clock.millis();
        List<LookupLogStore.Row> rows = new ArrayList<>(entries.size());
        for (Entry e : entries) {
            rows.add(new LookupLogStore.Row(now, e.requesterAccountId(), e.requesterDeviceId(), e.queriedHandle(),
                    e.route().wire(), IpShaping.shape(e.clientAddress(), mode)));
        }
        appender.append(rows);
        written.increment(rows.size());
    }

    @Override
    public void flush() {
        if (mode != LookupLogMode.OFF) {
            appender.flush();
        }
    }

    @Override
    public List<LoggedLookup> madeBy(String requesterAccountId, java.time.Instant since, int limit) {
        flush();
        return merge(store.find(null, requesterAccountId, since.toEpochMilli(), null, limit),
                fetches.find(requesterAccountId, since.toEpochMilli(), null, limit), limit);
    }

    @Override
    public void forgetLookupsBy(String requesterAccountId) {
        // Entries still queued would otherwise land after the delete.
        appender.flush();
        long now = clock.millis();
        store.deleteMadeBy(requesterAccountId, now);
        fetches.deleteMadeBy(requesterAccountId, now);
    }

    @Override
    public List<LoggedLookup> query(Query query) {
        flush();
        String requesterAccountId = null;
        if (query.requesterHandle() != null) {
            // A deleted account's handle still finds the entries a hold kept.
            Optional<String> id = accounts.accountIdOf(query.requesterHandle())
                    .or(() -> accounts.heldAccountIdOf(query.requesterHandle()));
            if (id.isEmpty()) {
                return List.of();
            }
            requesterAccountId = id.get();
        }
        Long since = query.since() == null ? null : query.since().toEpochMilli();
        Long until = query.until() == null ? null : query.until().toEpochMilli();
        List<LoggedLookup> plain = store.find(query.queriedHandle(), requesterAccountId, since, until, query.limit());
        if (query.queriedHandle() != null) {
            // A bucket fetch never names a handle: no private lookup can match a handle filter.
            return plain;
        }
        return merge(plain, fetches.find(requesterAccountId, since, until, query.limit()), query.limit());
    }

    /** The first {@code limit} of two lists each already in {@link #ORDER}. */
    static List<LoggedLookup> merge(List<LoggedLookup> a, List<LoggedLookup> b, int limit) {
        if (b.isEmpty()) {
            return a;
        }
        List<LoggedLookup> out = new ArrayList<>(Math.min(limit, a.size() + b.size()));
        int i = 0;
        int j = 0;
        while (out.size() < limit && (i < a.size() || j < b.size())) {
            if (j >= b.size() || (i < a.size() && ORDER.compare(a.get(i), b.get(j)) <= 0)) {
                out.add(a.get(i++));
            } else {
                out.add(b.get(j++));
            }
        }
        return out;
    }
}
