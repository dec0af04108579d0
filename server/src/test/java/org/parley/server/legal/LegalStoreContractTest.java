// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.legal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;
import org.parley.server.lookuplog.LookupLog;
import org.parley.server.testing.StorageBackend;

/**
 * The legal register's store and the preservation holds on every backend: requests round-trip,
 * state changes are compare-and-set, a locked request serializes concurrent check-then-act, and a
 * held lookup-log row survives the real purge while unheld, released and expired ones go.
 */
@ParameterizedClass
@EnumSource(StorageBackend.class)
class LegalStoreContractTest {
    private static final String SHA_A = "a".repeat(64);
    private static final String SHA_B = "b".repeat(64);

    @Parameter
    StorageBackend backend;

    @TempDir
    Path dir;

    private LegalTestWorld world;
    private JdbcLegalStore store;

    @BeforeEach
    void open() {
        world = new LegalTestWorld(dir, backend, UnaryOperator.identity());
        store = world.legal;
    }

    @AfterEach
    void close() {
        world.close();
    }

    private static IntakeForm form(RequestType type, List<String> handles, LocalDate nonDisclosure, List<String> docs) {
        return new IntakeForm(type, "Example Police", "REF-1", LocalDate.parse("2026-06-30"),
                new Scope(handles, LocalDate.parse("2026-06-01"), LocalDate.parse("2026-06-30"),
                        EnumSet.of(LegalCategory.SUBSCRIBER, LegalCategory.LOOKUP_LOG_OF_TARGET)),
                nonDisclosure, docs);
    }

    private long register(RequestType type) {
        return store.insert(form(type, List.of("+15550001", "bob@example.org"), null, List.of()),
                RequestStatus.REGISTERED, null, false, "alice", 1_000);
    }

    @Test
    void insert_thenFind_roundTripsEveryFieldInOrder() {
        // Handles and documents in an order that is neither sorted nor reverse sorted.
        List<String> handles = List.of("zed@example.org", "+15550001", "amy@example.org");
        long id = store.insert(form(RequestType.COURT_ORDER, handles, LocalDate.parse("2027-01-01"), List.of(SHA_B, SHA_A)),
                RequestStatus.REGISTERED, null, true, "alice", 1_000);

        LegalRequest r = store.find(id).orElseThrow();
        assertEquals(RequestType.COURT_ORDER, r.type());
        assertEquals("Example Police", r.authority());
        assertEquals(handles, r.scope().handles());
        assertEquals(List.of(SHA_B, SHA_A), r.documentSha256());
        assertEquals(LocalDate.parse("2027-01-01"), r.nonDisclosureUntil());
        assertEquals(EnumSet.of(LegalCategory.SUBSCRIBER, LegalCategory.LOOKUP_LOG_OF_TARGET), r.scope().categories());
        assertEquals(RequestStatus.REGISTERED, r.status());
        assertTrue(r.reviewRequired());
        assertEquals("alice", r.registeredBy());
        assertNull(r.decidedAt());
        assertNull(r.reason());
        assertTrue(store.find(id + 1000).isEmpty());
    }

    @Test
    void insert_refusedAtIntake_isDecidedThenWithTheReason() {
        long id = store.insert(form(RequestType.SUBPOENA, List.of("+15550001"), null, List.of()),
                RequestStatus.REJECTED, "outside the matrix", false, "alice", 5_000);
        LegalRequest r = store.find(id).orElseThrow();
        assertEquals(RequestStatus.REJECTED, r.status());
        assertEquals(5_000L, r.decidedAt());
        assertNull(r.decidedBy());
        assertEquals("outside the matrix", r.reason());
    }

    @Test
    void all_isNewestFirst() {
        long first = register(RequestType.SUBPOENA);
        long second = register(RequestType.COURT_ORDER);
        assertEquals(List.of(second, first), store.all().stream().map(LegalRequest::id).toList());
    }

    @Test
    void decide_onlyFromTheExpectedStatus() {
        long id = register(RequestType.SUBPOENA);
        assertTrue(store.decide(id, RequestStatus.REGISTERED, RequestStatus.APPROVED, "bob", 2_000, null));
        assertFalse(store.decide(id, RequestStatus.REGISTERED, RequestStatus.REJECTED, "carol", 3_000, "late"));
        LegalRequest r = store.find(id).orElseThrow();
        assertEquals(RequestStatus.APPROVED, r.status());
        assertEquals("bob", r.decidedBy());
        assertEquals(2_000L, r.decidedAt());
    }

    @Test
    void reviewed_clearsTheFlagOnce() {
        long id = store.insert(form(RequestType.EMERGENCY, List.of("+15550001"), null, List.of()),
                RequestStatus.REGISTERED, null, true, "alice", 1_000);
        assertTrue(store.reviewed(id, "bob", 2_000, "warrant followed"));
        assertFalse(store.reviewed(id, "carol", 3_000, "again"));
        LegalRequest r = store.find(id).orElseThrow();
        assertFalse(r.reviewRequired());
        assertEquals("bob", r.reviewedBy());
        assertEquals("warrant followed", r.reviewNote());
    }

    @Test
    void produced_onlyWhenApproved_andRecordsEachAccountOnce() {
        long id = register(RequestType.SUBPOENA);
        assertFalse(store.produced(id, Outcome.PRODUCED_WITH_DATA, "bob", 2_000, SHA_A, List.of("acct-1")));
        store.decide(id, RequestStatus.REGISTERED, RequestStatus.APPROVED, "bob", 2_000, null);
        // The same account twice (two of its handles in scope) is one disclosure.
        assertTrue(store.produced(id, Outcome.PRODUCED_WITH_DATA, "bob", 3_000, SHA_A, List.of("acct-1", "acct-2", "acct-1")));
        assertFalse(store.produced(id, Outcome.PRODUCED_WITH_DATA, "bob", 4_000, SHA_B, List.of("acct-3")));
        LegalRequest r = store.find(id).orElseThrow();
        assertEquals(RequestStatus.PRODUCED, r.status());
        assertEquals(Outcome.PRODUCED_WITH_DATA, r.outcome());
        assertEquals(SHA_A, r.packageSha256());
        assertEquals(List.of(id), store.disclosuresAbout("acct-1"));
        assertEquals(List.of(id), store.disclosuresAbout("acct-2"));
        assertEquals(List.of(), store.disclosuresAbout("acct-3"));
    }

    @Test
    void holds_placeExtendOnceAndRelease() {
        long id = register(RequestType.PRESERVATION);
        store.placeHolds(List.of(hold(id, "+15550001", null, 0, 100, true, false, 10_000),
                hold(id, "bob@example.org", "acct-b", 0, 100, false, true, 10_000)));
        List<Hold> placed = store.holds(id);
        assertEquals(List.of("+15550001", "bob@example.org"), placed.stream().map(Hold::handle).toList());
        assertNull(placed.getFirst().accountId());
        assertEquals("acct-b", placed.get(1).accountId());
        assertTrue(placed.getFirst().coversOf());
        assertTrue(placed.get(1).coversBy());

        assertEquals(2, store.extendHolds(id, 5_000, 2_000));
        assertEquals(0, store.extendHolds(id, 5_000, 2_000), "a hold is extended at most once");
        assertTrue(store.holds(id).stream().allMatch(h -> h.extended() && h.expiresAt() == 15_000));
        assertEquals(2, store.releaseHolds(id, 3_000));
        assertEquals(0, store.releaseHolds(id, 4_000));
        assertTrue(store.holds(id).stream().noneMatch(h -> h.activeAt(3_500)));
    }

    /**
     * Two writers (two pooled connections: to PostgreSQL the same as two nodes) each check that a
     * request has no hold and place one. Holding the request's row lock across check and insert,
     * exactly one of them places it, every round.
     */
    @Test
    void lock_serializesCheckThenActOnOneRequest() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < 15; round++) {
                long id = register(RequestType.PRESERVATION);
                CyclicBarrier start = new CyclicBarrier(2);
                List<Future<Boolean>> racers = new ArrayList<>();
                for (int t = 0; t < 2; t++) {
                    racers.add(pool.submit(() -> {
                        start.await(30, TimeUnit.SECONDS);
                        return world.database.write(c -> {
                            assertTrue(store.lock(id).isPresent());
                            if (!store.holdsInWrite(id).isEmpty()) {
                                return false;
                            }
                            store.placeHolds(List.of(hold(id, "+15550001", null, 0, 100, true, false, 10_000)));
                            return true;
                        });
                    }));
                }
                int placed = 0;
                for (Future<Boolean> f : racers) {
                    placed += f.get(60, TimeUnit.SECONDS) ? 1 : 0;
                }
                assertEquals(1, placed, "round " + round);
                assertEquals(1, store.holds(id).size(), "round " + round);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void lock_unknownRequest_isEmpty() {
        assertTrue(world.database.write(c -> store.lock(424242)).isEmpty());
    }

    /**
     * Lookups of two targets long past the retention; an active hold covers only the first one's
     * days, a released hold and an expired hold cover the second. The real purge keeps exactly the
     * held rows.
     */
    @Test
    void purge_keepsHeldLookupRows_andOnlyThose() {
        Instant day0 = LegalTestWorld.START;
        world.account("acct-a", "+15550001", day0.minus(Duration.ofDays(1)));
        world.account("acct-b", "+15550002", day0.minus(Duration.ofDays(1)));
        world.account("acct-c", "+15550003", day0.minus(Duration.ofDays(1)));
        world.lookup(day0.plus(Duration.ofHours(1)), "acct-c", "+15550001");              // held: of target A
        world.lookup(day0.plus(Duration.ofDays(5)), "acct-c", "+15550001");               // outside the hold's days
        world.lookup(day0.plus(Duration.ofHours(2)), "acct-c", "+15550002");              // only released/expired holds
        world.lookup(day0.plus(Duration.ofHours(3)), "acct-a", "+15550003");              // held: by target A

        Instant placed = day0.plus(Duration.ofDays(20));
        long firstDay = day0.toEpochMilli();
        long secondDay = day0.plus(Duration.ofDays(2)).toEpochMilli();
        long active = register(RequestType.PRESERVATION);
        long released = register(RequestType.PRESERVATION);
        long expired = register(RequestType.PRESERVATION);
        store.placeHolds(List.of(
                new Hold(0, active, "+15550001", "acct-a", firstDay, secondDay, true, true, false,
                        placed.toEpochMilli(), placed.plus(Duration.ofDays(90)).toEpochMilli(), false, null),
                new Hold(0, released, "+15550002", "acct-b", firstDay, secondDay, true, true, false,
                        placed.toEpochMilli(), placed.plus(Duration.ofDays(90)).toEpochMilli(), false, null),
                new Hold(0, expired, "+15550002", "acct-b", firstDay, secondDay, true, true, false,
                        placed.toEpochMilli(), placed.plus(Duration.ofDays(5)).toEpochMilli(), false, null)));
        store.releaseHolds(released, placed.plusSeconds(60).toEpochMilli());

        // Day 60: everything is past the 30-day retention; only the active hold still stands.
        world.clock.set(day0.plus(Duration.ofDays(60)));
        world.ctx.purges().runOnce();

        Set<String> left = world.stored().stream()
                .map(e -> e.requesterAccountId() + ">" + e.queriedHandle() + "@"
                        + LocalDate.ofInstant(Instant.ofEpochMilli(e.timeMs()), ZoneOffset.UTC))
                .collect(Collectors.toSet());
        assertEquals(Set.of("acct-c>+15550001@2026-07-01", "acct-a>+15550003@2026-07-01"), left);

        // Released: the next purge takes them too.
        store.releaseHolds(active, day0.plus(Duration.ofDays(61)).toEpochMilli());
        world.clock.set(day0.plus(Duration.ofDays(62)));
        world.ctx.purges().runOnce();
        assertEquals(List.<LookupLog.LoggedLookup>of(), world.stored());
    }

    private static Hold hold(long requestId, String handle, String accountId, long since, long until, boolean of,
                             boolean by, long expiresAt) {
        return new Hold(0, requestId, handle, accountId, since, until, of, by, false, 1_000, expiresAt, false, null);
    }
}
