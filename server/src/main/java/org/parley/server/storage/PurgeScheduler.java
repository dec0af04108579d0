// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.storage;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Runs every registered {@link Purger} at start-up and then every interval. Retention is a promise
 * made in the published policy, so purging is a real job with metrics, not a best-effort side effect
 * of some request.
 */
public final class PurgeScheduler implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(PurgeScheduler.class.getName());

    private final List<Purger> purgers = new CopyOnWriteArrayList<>();
    private final Clock clock;
    private final MeterRegistry meters;
    private final Database database;
    private final Map<String, Counter> deleted = new ConcurrentHashMap<>();
    private final Counter runs;
    private ScheduledExecutorService executor;

    /** A scheduler that is never started (host tools, benchmarks): nothing scrubs after its runs. */
    public PurgeScheduler(Clock clock, MeterRegistry meters) {
        this(clock, meters, null);
    }

    /** The server's scheduler: after each run, {@code database} scrubs what the purgers deleted. */
    public PurgeScheduler(Clock clock, MeterRegistry meters, Database database) {
        this.clock = clock;
        this.meters = meters;
        this.database = database;
        this.runs = Counter.builder("parley.purge.runs").description("Completed purge runs").register(meters);
    }

    public void register(Purger purger) {
        purgers.add(purger);
    }

    /** Purges now, on the caller's thread, then schedules a run every {@code interval}. */
    public synchronized void start(Duration interval) {
        runOnce();
        executor = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("parley-purge").daemon().factory());
        long millis = interval.toMillis();
        executor.scheduleWithFixedDelay(this::runSafely, millis, millis, TimeUnit.MILLISECONDS);
    }

    /**
     * Runs every purger once, then has the database scrub their tables; returns the total number of
     * deleted records. Scrubbing runs even when nothing expired: acknowledged envelopes are deleted
     * between runs, and this bounds how long their old page images stay in SQLite's WAL.
     */
    public long runOnce() {
        long total = 0;
        Set<String> tables = new TreeSet<>();
        for (Purger purger : purgers) {
            long n = purger.purge(clock.instant());
            deleted.computeIfAbsent(purger.name(), name -> Counter.builder("parley.purge.deleted")
                    .tag("job", name).description("Records deleted by the purge job").register(meters)).increment(n);
            total += n;
            tables.addAll(purger.tables());
        }
        if (database != null) {
            try {
                database.scrubDeleted(tables);
            } catch (RuntimeException e) {
                // The rows are deleted for every query already; the next run scrubs again.
                LOG.log(System.Logger.Level.WARNING, "scrubbing " + tables + " after the purge failed: " + e.getMessage());
            }
        }
        runs.increment();
        return total;
    }

    private void runSafely() {
        try {
            runOnce();
        } catch (RuntimeException e) {
            // The next run retries; retention is late, never skipped silently.
            LOG.log(System.Logger.Level.ERROR, "purge run failed: " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized void close() {
        if (executor != null) {
            executor.shutdownNow();
        }
    }
}
