// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.lookuplog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.protocol.Route;
import org.parley.server.config.LookupLogMode;
import org.parley.server.config.ServerConfig;
import org.parley.server.testing.LookupTestAccounts;
import org.parley.server.testing.LookupTestEnvironment;

class LookupLogTest {
    private static final String ALICE = "+12025550143";
    private static final String BOB = "bob@example.org";
    private static final String CAROL = "carol@example.org";

    @TempDir
    Path dir;

    private LookupTestEnvironment env;
    private final LookupTestAccounts accounts = new LookupTestAccounts();

    private LookupLogFeature feature;
    private LookupLog log;

    @AfterEach
    void close() {
        if (feature != null) {
            feature.close();
        }
        if (env != null) {
            env.close();
        }
    }

    private LookupLog log(UnaryOperator<ServerConfig> configure) {
        env = new LookupTestEnvironment(dir, configure);
        feature = LookupLogFeature.create(env.ctx, accounts);
        log = feature.log();
        return log;
    }

    private static InetAddress ip(String text) throws Exception {
        return InetAddress.getByName(text);
    }

    /** Every row as column name -> value, read with plain SQL so the test sees what is really stored. */
    private List<Map<String, Object>> rows() {
        log.flush(); // record() returns before the commit; see LookupLogAppender
        return env.database.read(c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT time_ms, requester_account_id, requester_device_id,"
                    + " queried_handle, route, client_ip FROM lookup_log ORDER BY id");
                 ResultSet rs = s.executeQuery()) {
                List<Map<String, Object>> out = new ArrayList<>();
                while (rs.next()) {
                    var row = new java.util.HashMap<String, Object>();
                    row.put("time_ms", rs.getLong(1));
                    row.put("requester_account_id", rs.getString(2));
                    row.put("requester_device_id", rs.getInt(3));
                    row.put("queried_handle", rs.getString(4));
                    row.put("route", rs.getString(5));
                    row.put("client_ip", rs.getString(6));
                    out.add(row);
                }
                return out;
            }
        });
    }

    @Test
    void record_fullMode_storesEveryFieldAndTheAddress() throws Exception {
        LookupLog log = log(LookupTestEnvironment.lookupLog(LookupLogMode.FULL, Duration.ofDays(30)));
        log.record(List.of(new LookupLog.Entry("acc-1", 2, BOB, Route.PARLEY, ip("203.0.113.7"))));

        List<Map<String, Object>> rows = rows();
        assertEquals(1, rows.size());
        assertEquals(Map.of("time_ms", LookupTestEnvironment.START.toEpochMilli(), "requester_account_id", "acc-1",
                "requester_device_id", 2, "queried_handle", BOB, "route", "parley", "client_ip", "203.0.113.7"),
                rows.getFirst());
    }

    @Test
    void record_truncatedIpMode_storesTheNetworkOnly() throws Exception {
        LookupLog log = log(LookupTestEnvironment.lookupLog(LookupLogMode.TRUNCATED_IP, Duration.ofDays(30)));
        log.record(List.of(
                new LookupLog.Entry("acc-1", 1, BOB, Route.PARLEY, ip("203.0.113.7")),
                new LookupLog.Entry("acc-1", 1, ALICE, Route.SMS, ip("2001:db8:1:2:3:4:5:6")),
                new LookupLog.Entry("acc-1", 1, CAROL, Route.SMS, ip("::ffff:198.51.100.200"))));

        List<Map<String, Object>> rows = rows();
        assertEquals("203.0.113.0", rows.get(0).get("client_ip"));
        assertEquals("2001:db8:1::", rows.get(1).get("client_ip"));
        assertEquals("198.51.100.0", rows.get(2).get("client_ip"));
        assertEquals("sms", rows.get(1).get("route"));
        assertEquals(ALICE, rows.get(1).get("queried_handle"));
    }

    @Test
    void record_noIpMode_storesNullAddressButEverythingElse() throws Exception {
        LookupLog log = log(LookupTestEnvironment.lookupLog(LookupLogMode.NO_IP, Duration.ofDays(30)));
        log.record(List.of(new LookupLog.Entry("acc-1", 3, BOB, Route.SMS, ip("203.0.113.7"))));

        Map<String, Object> row = rows().getFirst();
        assertNull(row.get("client_ip"));
        assertEquals("acc-1", row.get("requester_account_id"));
        assertEquals(3, row.get("requester_device_id"));
        assertEquals(BOB, row.get("queried_handle"));
        assertEquals("sms", row.get("route"));
        assertEquals(LookupTestEnvironment.START.toEpochMilli(), row.get("time_ms"));
    }

    @Test
    void record_offMode_writesNoRowAtAll() throws Exception {
        LookupLog log = log(LookupTestEnvironment.lookupLog(LookupLogMode.OFF, Duration.ofDays(30)));
        log.record(List.of(new LookupLog.Entry("acc-1", 1, BOB, Route.PARLEY, ip("203.0.113.7"))));

        assertTrue(rows().isEmpty());
        assertEquals(0.0, env.meters.counter("parley.lookuplog.entries").count());
    }

    @Test
    void record_severalEntries_countsThemInTheMetric() throws Exception {
        LookupLog log = log(UnaryOperator.identity());
        log.record(List.of(new LookupLog.Entry("acc-1", 1, BOB, Route.PARLEY, null),
                new LookupLog.Entry("acc-1", 1, ALICE, Route.SMS, null)));

        assertEquals(2.0, env.meters.counter("parley.lookuplog.entries").count());
        assertNull(rows().getFirst().get("client_ip"), "an unknown client address is stored as NULL");
    }

    @Test
    void purge_afterRetentionPassed_deletesOldEntriesAndKeepsYoungOnes() throws Exception {
        LookupLog log = log(LookupTestEnvironment.lookupLog(LookupLogMode.FULL, Duration.ofHours(1)));
        log.record(List.of(new LookupLog.Entry("acc-1", 1, BOB, Route.PARLEY, ip("203.0.113.7"))));
        env.clock.advance(Duration.ofMinutes(30));
        log.record(List.of(new LookupLog.Entry("acc-1", 1, ALICE, Route.SMS, ip("203.0.113.7"))));
        env.clock.advance(Duration.ofMinutes(45));

        long deleted = env.ctx.purges().runOnce();

        assertEquals(1, deleted);
        List<Map<String, Object>> rows = rows();
        assertEquals(1, rows.size());
        assertEquals(ALICE, rows.getFirst().get("queried_handle"));
    }

    @Test
    void purge_beforeRetentionPassed_keepsEverything() throws Exception {
        LookupLog log = log(LookupTestEnvironment.lookupLog(LookupLogMode.FULL, Duration.ofHours(1)));
        log.record(List.of(new LookupLog.Entry("acc-1", 1, BOB, Route.PARLEY, null)));
        env.clock.advance(Duration.ofMinutes(59));

        assertEquals(0, env.ctx.purges().runOnce());
        assertEquals(1, rows().size());
    }

    private LookupLog populated() {
        LookupLog log = log(UnaryOperator.identity());
        String alice = accounts.add(ALICE, 1);
        String carol = accounts.add(CAROL, 2);
        log.record(List.of(new LookupLog.Entry(alice, 1, BOB, Route.PARLEY, null)));           // 10:00
        env.clock.advance(Duration.ofHours(1));
        log.record(List.of(new LookupLog.Entry(carol, 2, BOB, Route.PARLEY, null),             // 11:00
                new LookupLog.Entry(carol, 2, ALICE, Route.PARLEY, null)));
        env.clock.advance(Duration.ofHours(1));
        log.record(List.of(new LookupLog.Entry(alice, 1, CAROL, Route.PARLEY, null)));         // 12:00
        return log;
    }

    private static List<String> queried(List<LookupLog.LoggedLookup> entries) {
        return entries.stream().map(LookupLog.LoggedLookup::queriedHandle).toList();
    }

    @Test
    void query_noFilter_returnsAllOrderedByTimeThenId() {
        List<LookupLog.LoggedLookup> all = populated().query(LookupLog.Query.all());
        assertEquals(List.of(BOB, BOB, ALICE, CAROL), queried(all));
        assertTrue(all.get(1).id() < all.get(2).id());
        assertEquals(all.get(1).timeMs(), all.get(2).timeMs());
    }

    @Test
    void query_byQueriedHandle_returnsOnlyThatHandle() {
        List<LookupLog.LoggedLookup> found = populated().query(new LookupLog.Query(BOB, null, null, null, 100));
        assertEquals(List.of(BOB, BOB), queried(found));
    }

    @Test
    void query_byRequesterHandle_resolvesToTheAccount() {
        LookupLog log = populated();
        List<LookupLog.LoggedLookup> found = log.query(new LookupLog.Query(null, CAROL, null, null, 100));
        assertEquals(List.of(BOB, ALICE), queried(found));
        assertEquals(accounts.accountIdOf(CAROL).orElseThrow(), found.getFirst().requesterAccountId());
        assertEquals(2, found.getFirst().requesterDeviceId());
    }

    @Test
    void query_unknownRequester_returnsNothing() {
        assertTrue(populated().query(new LookupLog.Query(null, "nobody@example.org", null, null, 100)).isEmpty());
    }

    @Test
    void query_timeRange_includesSinceAndExcludesUntil() {
        LookupLog log = populated();
        Instant eleven = LookupTestEnvironment.START.plus(Duration.ofHours(1));
        Instant twelve = LookupTestEnvironment.START.plus(Duration.ofHours(2));
        assertEquals(List.of(BOB, ALICE), queried(log.query(new LookupLog.Query(null, null, eleven, twelve, 100))));
        assertEquals(List.of(BOB, ALICE, CAROL), queried(log.query(new LookupLog.Query(null, null, eleven, null, 100))));
        assertEquals(List.of(BOB), queried(log.query(new LookupLog.Query(null, null, null, eleven, 100))));
    }

    @Test
    void query_limit_cutsTheOldestFirstPage() {
        assertEquals(List.of(BOB, BOB), queried(populated().query(new LookupLog.Query(null, null, null, null, 2))));
    }

    @Test
    void query_limitOutOfRange_isRefused() {
        assertThrows(IllegalArgumentException.class, () -> new LookupLog.Query(null, null, null, null, 0));
        assertThrows(IllegalArgumentException.class, () -> new LookupLog.Query(null, null, null, null, 10_001));
    }
}
