// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.legal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.parley.server.lookuplog.LookupLog.LoggedLookup;

/**
 * Over random lookups, holds (scope, expiry, release) and purge times, with the clock injected:
 * after a purge, an entry exists exactly when it is within the retention or an active hold covers
 * it (its handle or account, its day, its category).
 */
class HoldPurgePropertyTest {
    private static final List<String> HANDLES = List.of("+12025550101", "alice@example.org", "+447700900123");
    private static final List<String> ACCOUNTS = List.of("acc-0", "acc-1", "acc-2");
    private static final Duration RETENTION = Duration.ofDays(30);

    record Lookup(int day, int requester, int queried) {}

    record HoldSpec(int handle, int fromDay, int days, boolean of, boolean by, int lifetimeDays, boolean released) {}

    @Provide
    Arbitrary<List<Lookup>> lookups() {
        return Combinators.combine(Arbitraries.integers().between(0, 59), Arbitraries.integers().between(0, 2),
                Arbitraries.integers().between(0, 2)).as(Lookup::new).list().ofMaxSize(40);
    }

    @Provide
    Arbitrary<List<HoldSpec>> holds() {
        return Combinators.combine(Arbitraries.integers().between(0, 2), Arbitraries.integers().between(0, 59),
                Arbitraries.integers().between(0, 30), Arbitraries.of(true, false), Arbitraries.of(true, false),
                Arbitraries.integers().between(1, 120), Arbitraries.of(true, false))
                .as(HoldSpec::new).list().ofMaxSize(4);
    }

    @Property(tries = 50)
    void anEntryOutlivesTheRetentionExactlyWhileAnActiveHoldCoversIt(@ForAll("lookups") List<Lookup> lookups,
            @ForAll("holds") List<HoldSpec> holds) throws IOException {
        Path dir = Files.createTempDirectory("legal-hold-property");
        try (LegalTestWorld world = new LegalTestWorld(dir)) {
            Instant day0 = LegalTestWorld.START;
            for (int i = 0; i < ACCOUNTS.size(); i++) {
                world.account(ACCOUNTS.get(i), HANDLES.get(i), day0.minus(Duration.ofDays(1)));
            }
            List<Lookup> sorted = new ArrayList<>(lookups);
            sorted.sort(Comparator.comparingInt(Lookup::day));
            for (Lookup l : sorted) {
                world.lookup(day0.plus(Duration.ofDays(l.day())).plusSeconds(3600), ACCOUNTS.get(l.requester()),
                        HANDLES.get(l.queried()));
            }
            // Holds are placed on day 60, after every lookup; then the purge runs on day 100.
            Instant placed = day0.plus(Duration.ofDays(60));
            Instant purge = day0.plus(Duration.ofDays(100));
            List<Hold> rows = new ArrayList<>();
            for (int i = 0; i < holds.size(); i++) {
                HoldSpec h = holds.get(i);
                Scope scope = new Scope(List.of(HANDLES.get(h.handle())),
                        LocalDate.ofInstant(day0, ZoneOffset.UTC).plusDays(h.fromDay()),
                        LocalDate.ofInstant(day0, ZoneOffset.UTC).plusDays(h.fromDay() + h.days()), Set.of());
                rows.add(new Hold(0, i + 1, HANDLES.get(h.handle()), ACCOUNTS.get(h.handle()), scope.sinceMs(),
                        scope.untilMs(), h.of(), h.by(), false, placed.toEpochMilli(),
                        placed.plus(Duration.ofDays(h.lifetimeDays())).toEpochMilli(), false, null));
            }
            world.legal.placeHolds(rows);
            for (int i = 0; i < holds.size(); i++) {
                if (holds.get(i).released()) {
                    world.legal.releaseHolds(i + 1, placed.plusSeconds(60).toEpochMilli());
                }
            }
            List<LoggedLookup> before = world.stored();
            world.clock.set(purge);
            world.ctx.purges().runOnce();

            long cutoff = purge.minus(RETENTION).toEpochMilli();
            Set<Long> expected = new TreeSet<>();
            for (LoggedLookup e : before) {
                if (e.timeMs() >= cutoff || heldAt(e, rows, holds, purge.toEpochMilli())) {
                    expected.add(e.id());
                }
            }
            assertEquals(expected, world.stored().stream().map(LoggedLookup::id).collect(Collectors.toCollection(TreeSet::new)));
        } finally {
            try (var paths = Files.walk(dir)) {
                for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    /** The model of a hold, written independently of the SQL. */
    private static boolean heldAt(LoggedLookup e, List<Hold> rows, List<HoldSpec> specs, long now) {
        for (int i = 0; i < rows.size(); i++) {
            Hold h = rows.get(i);
            boolean active = !specs.get(i).released() && h.expiresAt() > now;
            boolean inDays = e.timeMs() >= h.sinceMs() && e.timeMs() < h.untilMs();
            boolean subject = (h.coversOf() && e.queriedHandle().equals(h.handle()))
                    || (h.coversBy() && e.requesterAccountId().equals(h.accountId()));
            if (active && inDays && subject) {
                return true;
            }
        }
        return false;
    }
}
