// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.lookuplog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;
import org.parley.protocol.Route;
import org.parley.server.storage.Database;
import org.parley.server.testing.StorageBackend;

/** The {@link LookupLogStore} contract and its retention purge on every backend. */
@ParameterizedClass
@EnumSource(StorageBackend.class)
class LookupLogStoreContractTest {
    private static final String ALICE = "11111111-1111-4111-8111-111111111111";
    private static final String BOB = "22222222-2222-4222-8222-222222222222";

    @Parameter
    StorageBackend backend;

    @TempDir
    Path dir;

    private Database db;
    private JdbcLookupLogStore store;

    @BeforeEach
    void open() {
        db = backend.open(dir);
        store = new JdbcLookupLogStore(db);
        store.append(List.of(
                new LookupLogStore.Row(1_000, ALICE, 1, "carol@example.org", "parley", "203.0.113.7"),
                new LookupLogStore.Row(2_000, ALICE, 2, "+12025550143", "sms", null),
                new LookupLogStore.Row(2_000, BOB, 1, "carol@example.org", "parley", "2001:db8::"),
                new LookupLogStore.Row(5_000, BOB, 1, "dave@example.org", "sms", "198.51.100.0")));
    }

    @AfterEach
    void close() {
        db.close();
    }

    @Test
    void append_manyRows_storesEachInOrder() {
        // 123 rows: two full multi-row INSERTs of 50 and 23 single rows.
        List<LookupLogStore.Row> rows = new java.util.ArrayList<>();
        for (int i = 0; i < 123; i++) {
            rows.add(new LookupLogStore.Row(10_000 + i, ALICE, 1 + i % 3, "h" + i + "@example.org", i % 2 == 0 ? "parley" : "sms",
                    i % 5 == 0 ? null : "192.0.2." + i));
        }
        store.append(rows);
        List<LookupLog.LoggedLookup> stored = store.find(null, null, 10_000L, null, 1_000);
        assertEquals(123, stored.size());
        for (int i = 0; i < 123; i++) {
            LookupLog.LoggedLookup s = stored.get(i);
            LookupLogStore.Row r = rows.get(i);
            assertEquals(List.of(r.timeMs(), r.requesterDeviceId(), r.queriedHandle(), r.route(), String.valueOf(r.clientIp())),
                    List.of(s.timeMs(), s.requesterDeviceId(), s.queriedHandle(), s.route().wire(), String.valueOf(s.clientIp())));
        }
    }

    @Test
    void find_noFilters_returnsEverythingInTimeThenIdOrderAsStored() {
        List<LookupLog.LoggedLookup> all = store.find(null, null, null, null, 100);
        assertEquals(4, all.size());
        assertEquals(List.of(1_000L, 2_000L, 2_000L, 5_000L), all.stream().map(LookupLog.LoggedLookup::timeMs).toList());
        assertTrue(all.get(1).id() < all.get(2).id(), "rows of one time come in insertion order");
        LookupLog.LoggedLookup second = all.get(1);
        assertEquals(ALICE, second.requesterAccountId());
        assertEquals(2, second.requesterDeviceId());
        assertEquals("+12025550143", second.queriedHandle());
        assertEquals(Route.SMS, second.route());
        assertNull(second.clientIp());
        assertEquals("2001:db8::", all.get(2).clientIp());
    }

    @Test
    void find_filtersCombineAndTheLimitCuts() {
        assertEquals(2, store.find("carol@example.org", null, null, null, 100).size());
        assertEquals(1, store.find("carol@example.org", BOB, null, null, 100).size());
        assertEquals(List.of(2_000L, 2_000L), store.find(null, null, 2_000L, 5_000L, 100).stream()
                .map(LookupLog.LoggedLookup::timeMs).toList(), "since is inclusive, until exclusive");
        assertEquals(1, store.find(null, ALICE, null, null, 1).size());
        assertTrue(store.find("nobody@example.org", null, null, null, 100).isEmpty());
    }

    @Test
    void purger_deletesOnlyRowsOlderThanTheRetention() {
        LookupLogPurger purger = new LookupLogPurger(store, Duration.ofSeconds(3), () -> { });
        assertEquals(0, purger.purge(Instant.ofEpochMilli(4_000)), "the row at 1000 is exactly 3 s old: kept");
        assertEquals(1, purger.purge(Instant.ofEpochMilli(4_001)));
        assertEquals(0, purger.purge(Instant.ofEpochMilli(4_001)));
        assertEquals(2, purger.purge(Instant.ofEpochMilli(5_001)));
        assertEquals(List.of(5_000L), store.find(null, null, null, null, 100).stream()
                .map(LookupLog.LoggedLookup::timeMs).toList());
    }

    @Test
    void theLogKeepsOnlyTheIndexesItsWritesAfford() {
        // Every index is one more b-tree written per logged lookup (docs/performance.md, "Lookup log,
        // 8 December: the indexes"): the handle query scans the time index instead.
        List<String> indexes = db.read(c -> {
            String sql = db.dialect() == org.parley.server.storage.Dialect.SQLITE
                    ? "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'lookup_log'"
                            + " AND name NOT LIKE 'sqlite_autoindex%' ORDER BY name"
                    : "SELECT indexname FROM pg_indexes WHERE tablename = 'lookup_log' ORDER BY indexname";
            List<String> names = new java.util.ArrayList<>();
            try (var s = c.createStatement(); var rs = s.executeQuery(sql)) {
                while (rs.next()) {
                    names.add(rs.getString(1));
                }
            }
            return names;
        });
        assertEquals(db.dialect() == org.parley.server.storage.Dialect.SQLITE
                        ? List.of("lookup_log_requester_time", "lookup_log_time")
                        : List.of("lookup_log_pkey", "lookup_log_time"),
                indexes);
    }

    @Test
    void find_byHandleOverManyRows_stillFindsEveryMatchInOrder() {
        // Without an index on the handle the query tests it per row of the time range.
        List<LookupLogStore.Row> rows = new java.util.ArrayList<>();
        for (int i = 0; i < 500; i++) {
            rows.add(new LookupLogStore.Row(10_000 + i, i % 200 < 100 ? ALICE : BOB, 1, i % 100 == 7 ? "carol@example.org"
                    : "h" + i + "@example.org", "parley", null));
        }
        store.append(rows);
        assertEquals(List.of(1_000L, 2_000L, 10_007L, 10_107L, 10_207L, 10_307L, 10_407L),
                store.find("carol@example.org", null, null, null, 100).stream().map(LookupLog.LoggedLookup::timeMs).toList());
        assertEquals(List.of(10_107L, 10_207L), store.find("carol@example.org", null, 10_100L, 10_300L, 100).stream()
                .map(LookupLog.LoggedLookup::timeMs).toList());
        assertEquals(List.of(10_107L, 10_307L), store.find("carol@example.org", BOB, 10_000L, null, 100).stream()
                .map(LookupLog.LoggedLookup::timeMs).toList());
    }

    @Test
    void append_nothing_isANoOp() {
        store.append(List.of());
        assertEquals(4, store.find(null, null, null, null, 100).size());
    }
}
