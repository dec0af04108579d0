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

/** {@link LookupLog} over a {@link LookupLogStore}, applying the configured mode. */
final class LookupLogService implements LookupLog {
    private final LookupLogStore store;
    private final LookupLogAppender appender;
    private final Accounts accounts;
    private final Clock clock;
    private final LookupLogMode mode;
    private final Counter written;

    LookupLogService(LookupLogStore store, LookupLogAppender appender, Accounts accounts, Clock clock, LookupLogMode mode, MeterRegistry meters) {
        this.store = store;
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
        return store.find(null, requesterAccountId, since.toEpochMilli(), null, limit);
    }

    @Override
    public void forgetLookupsBy(String requesterAccountId) {
        // Entries still queued would otherwise land after the delete.
        appender.flush();
        store.deleteMadeBy(requesterAccountId, clock.millis());
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
        return store.find(query.queriedHandle(), requesterAccountId,
                query.since() == null ? null : query.since().toEpochMilli(),
                query.until() == null ? null : query.until().toEpochMilli(),
                query.limit());
    }
}
