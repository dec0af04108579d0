// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.legal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.parley.server.accounts.SubscriberRecords.Subscriber;
import org.parley.server.config.ServerConfig;
import org.parley.server.lookuplog.LookupLog.LoggedLookup;

/**
 * Over random lookups, scopes and purge times: a disclosure holds exactly the surviving records
 * its handles, days and categories cover. Never a record of another handle, another day or
 * another category, and never one the purge deleted; and nothing in scope is left out.
 */
class DisclosureScopePropertyTest {
    /** Three handles with accounts and one without: lookups of unknown handles are logged too. */
    private static final List<String> HANDLES = List.of("+12025550101", "alice@example.org", "+447700900123",
            "nobody@example.org");
    private static final List<String> ACCOUNTS = List.of("acc-0", "acc-1", "acc-2");
    private static final int DAYS = 20;

    record Lookup(int day, int msOfDay, int requester, int queried) {}

    @Provide
    Arbitrary<List<Lookup>> lookups() {
        return Combinators.combine(Arbitraries.integers().between(0, DAYS - 1),
                Arbitraries.integers().between(0, 86_399_999), Arbitraries.integers().between(0, ACCOUNTS.size() - 1),
                Arbitraries.integers().between(0, HANDLES.size() - 1)).as(Lookup::new).list().ofMaxSize(40);
    }

    @Provide
    Arbitrary<Set<LegalCategory>> categories() {
        return Arbitraries.of(LegalCategory.class).set().ofMinSize(1);
    }

    @Provide
    Arbitrary<Set<Integer>> targets() {
        return Arbitraries.integers().between(0, HANDLES.size() - 1).set().ofMinSize(1);
    }

    @Property(tries = 60)
    void aDisclosureHoldsExactlyTheSurvivingRecordsInScope(
            @ForAll("lookups") List<Lookup> lookups,
            @ForAll("targets") Set<Integer> targets,
            @ForAll("categories") Set<LegalCategory> categories,
            @ForAll @IntRange(min = 0, max = DAYS - 1) int fromDay,
            @ForAll @IntRange(min = 0, max = DAYS - 1) int length,
            @ForAll @IntRange(min = 1, max = 25) int retentionDays,
            @ForAll @IntRange(min = 0, max = 10) int purgeDaysAfterLast) throws IOException {
        Path dir = Files.createTempDirectory("legal-property");
        Duration retention = Duration.ofDays(retentionDays);
        try (LegalTestWorld world = new LegalTestWorld(dir, c -> c.withLookupLog(
                new ServerConfig.LookupLog(c.lookupLog().mode(), retention, c.lookupLog().purgeInterval())))) {
            Instant day0 = LegalTestWorld.START;
            for (int i = 0; i < ACCOUNTS.size(); i++) {
                world.account(ACCOUNTS.get(i), HANDLES.get(i), day0.minus(Duration.ofDays(3)));
            }
            List<Lookup> sorted = new ArrayList<>(lookups);
            // The log stamps entries with the clock, so they are written in time order like real traffic.
            sorted.sort(Comparator.comparingInt(Lookup::day).thenComparingInt(Lookup::msOfDay));
            for (Lookup l : sorted) {
                world.lookup(at(day0, l), ACCOUNTS.get(l.requester()), HANDLES.get(l.queried()));
            }
            Instant purgeAt = day0.plus(Duration.ofDays(DAYS + purgeDaysAfterLast));
            world.clock.set(purgeAt);
            world.ctx.purges().runOnce();

            LocalDate from = LocalDate.ofInstant(day0, ZoneOffset.UTC).plusDays(fromDay);
            List<String> scopeHandles = targets.stream().sorted().map(HANDLES::get).toList();
            Scope scope = new Scope(scopeHandles, from, from.plusDays(length), categories);
            Disclosure d = new DisclosureCollector(world.accounts.subscribers(), world.log).collect(scope);

            Map<Long, LoggedLookup> stored = new HashMap<>();
            world.stored().forEach(e -> stored.put(e.id(), e));
            Map<String, String> accountOf = new HashMap<>();
            for (int i = 0; i < ACCOUNTS.size(); i++) {
                accountOf.put(HANDLES.get(i), ACCOUNTS.get(i));
            }
            Set<String> targetAccounts = scopeHandles.stream().filter(accountOf::containsKey).map(accountOf::get)
                    .collect(Collectors.toSet());

            // Soundness: every disclosed record is in scope and still stored.
            for (LoggedLookup e : d.lookupsByTarget()) {
                assertTrue(categories.contains(LegalCategory.LOOKUP_LOG_BY_TARGET), "by-target not asked for");
                assertTrue(targetAccounts.contains(e.requesterAccountId()), "requester outside the targets: " + e);
                assertTrue(scope.covers(e.timeMs()), "outside the date range: " + e);
                assertEquals(stored.get(e.id()), e, "disclosed a purged or altered entry");
            }
            for (LoggedLookup e : d.lookupsOfTarget()) {
                assertTrue(categories.contains(LegalCategory.LOOKUP_LOG_OF_TARGET), "of-target not asked for");
                assertTrue(scopeHandles.contains(e.queriedHandle()), "queried handle outside the targets: " + e);
                assertTrue(scope.covers(e.timeMs()), "outside the date range: " + e);
                assertEquals(stored.get(e.id()), e, "disclosed a purged or altered entry");
            }
            for (Subscriber s : d.subscribers()) {
                assertTrue(categories.contains(LegalCategory.SUBSCRIBER), "subscriber not asked for");
                assertTrue(scopeHandles.contains(s.handle()), "subscriber outside the targets: " + s.handle());
            }
            // Nothing purged: an entry older than the retention at purge time is gone from the store too.
            long cutoff = purgeAt.minus(retention).toEpochMilli();
            assertTrue(stored.values().stream().allMatch(e -> e.timeMs() >= cutoff), "the purge left an old entry");

            // Completeness against a model of the same data.
            Set<Long> expectedBy = new TreeSet<>();
            Set<Long> expectedOf = new TreeSet<>();
            for (LoggedLookup e : stored.values()) {
                if (!scope.covers(e.timeMs())) {
                    continue;
                }
                if (categories.contains(LegalCategory.LOOKUP_LOG_BY_TARGET) && targetAccounts.contains(e.requesterAccountId())) {
                    expectedBy.add(e.id());
                }
                if (categories.contains(LegalCategory.LOOKUP_LOG_OF_TARGET) && scopeHandles.contains(e.queriedHandle())) {
                    expectedOf.add(e.id());
                }
            }
            assertEquals(expectedBy, ids(d.lookupsByTarget()));
            assertEquals(expectedOf, ids(d.lookupsOfTarget()));
            Set<String> expectedSubscribers = categories.contains(LegalCategory.SUBSCRIBER)
                    ? scopeHandles.stream().filter(accountOf::containsKey).collect(Collectors.toCollection(TreeSet::new))
                    : Set.of();
            assertEquals(expectedSubscribers, d.subscribers().stream().map(Subscriber::handle)
                    .collect(Collectors.toCollection(TreeSet::new)));
            assertEquals(!d.subscribers().isEmpty() || !d.lookupsByTarget().isEmpty() || !d.lookupsOfTarget().isEmpty(),
                    d.hasData());
        } finally {
            deleteRecursively(dir);
        }
    }

    private static Instant at(Instant day0, Lookup l) {
        return day0.plus(Duration.ofDays(l.day())).plusMillis(l.msOfDay());
    }

    private static Set<Long> ids(List<LoggedLookup> entries) {
        return entries.stream().map(LoggedLookup::id).collect(Collectors.toCollection(TreeSet::new));
    }

    private static void deleteRecursively(Path dir) throws IOException {
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
