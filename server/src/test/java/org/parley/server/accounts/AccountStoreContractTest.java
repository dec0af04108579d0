// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.accounts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;
import org.parley.protocol.SignedPreKey;
import org.parley.server.accounts.AccountStore.NewDevice;
import org.parley.server.accounts.AccountStore.Outcome;
import org.parley.server.accounts.AccountStore.VerificationSession;
import org.parley.server.accounts.AccountStore.Verdict;
import org.parley.server.keys.KeysFeature;
import org.parley.server.messages.MessagesFeature;
import org.parley.server.storage.Database;
import org.parley.server.testing.StorageBackend;

/**
 * The {@link AccountStore} contract on every backend, including the races several server nodes
 * create on PostgreSQL: concurrent session starts, code guesses and registrations of one handle.
 */
@ParameterizedClass
@EnumSource(StorageBackend.class)
class AccountStoreContractTest {
    private static final long HOUR = 3_600_000L;
    private static final long T0 = 1_700_000_000_000L;

    @Parameter
    StorageBackend backend;

    @TempDir
    Path dir;

    private Database db;
    private JdbcAccountStore store;

    @BeforeEach
    void open() {
        db = backend.open(dir);
        store = new JdbcAccountStore(db, KeysFeature.deviceKeys(db), MessagesFeature.store(db));
    }

    @AfterEach
    void close() {
        db.close();
    }

    private static VerificationSession session(String handle, long createdAt) {
        return new VerificationSession(UUID.randomUUID().toString(), handle, new byte[] {1}, new byte[] {2},
                createdAt, createdAt + 600_000, 0, false);
    }

    private static NewDevice device(int registrationId) {
        return new NewDevice(registrationId, new byte[] {3}, new byte[] {4}, new byte[] {5, (byte) registrationId},
                new SignedPreKey(1, new byte[] {6}, new byte[] {7}), new SignedPreKey(2, new byte[] {8}, new byte[] {9}));
    }

    private VerificationSession started(String handle, long at) {
        VerificationSession s = session(handle, at);
        assertTrue(store.startSession(s, 5, HOUR).isEmpty());
        return s;
    }

    private Outcome registerOk(VerificationSession s, int registrationId) {
        return store.register(s.sessionId(), x -> Verdict.OK, UUID.randomUUID().toString(), device(registrationId), T0);
    }

    private long count(String sql, String arg) {
        return db.read(c -> {
            try (PreparedStatement p = c.prepareStatement(sql)) {
                p.setString(1, arg);
                try (ResultSet rs = p.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
        });
    }

    @Test
    void delete_withoutHold_removesEverything_andTheHandleRegistersAnew() {
        Outcome first = registerOk(started("del@example.org", T0), 11);
        assertEquals(Optional.of("del@example.org"), store.delete(first.accountId(), SubscriberHolds.Held.NONE, T0 + 1));
        assertEquals(Optional.empty(), store.accountIdOf("del@example.org"));
        assertEquals(0, count("SELECT COUNT(*) FROM devices WHERE account_id = ?", first.accountId()));
        assertEquals(0, count("SELECT COUNT(*) FROM signed_prekeys WHERE account_id = ?", first.accountId()));
        assertEquals(0, count("SELECT COUNT(*) FROM retained_accounts WHERE account_id = ?", first.accountId()));
        assertEquals(Optional.empty(), store.subscriber("del@example.org"));
        assertEquals(Optional.empty(), store.delete(first.accountId(), SubscriberHolds.Held.NONE, T0 + 2));

        Outcome again = registerOk(started("del@example.org", T0 + 3), 12);
        assertNotEquals(first.accountId(), again.accountId());
        assertEquals(Optional.of(again.accountId()), store.accountIdOf("del@example.org"));
    }

    @Test
    void delete_underSubscriberHold_retainsTheDatesUntilForgotten() {
        Outcome held = registerOk(started("held@example.org", T0), 21);
        store.delete(held.accountId(), new SubscriberHolds.Held(true, true), T0 + 1);
        assertEquals(Optional.empty(), store.accountIdOf("held@example.org"));
        assertEquals(Optional.of(held.accountId()), store.heldAccountIdOf("held@example.org"));
        var subscriber = store.subscriber("held@example.org").orElseThrow();
        assertEquals(held.accountId(), subscriber.accountId());
        assertEquals(1, subscriber.devices().size());
        assertEquals(List.of(new AccountStore.Retained(held.accountId(), "held@example.org", true)), store.retained());

        store.forgetRetainedDates(held.accountId());
        assertEquals(Optional.empty(), store.subscriber("held@example.org"));
        assertEquals(Optional.of(held.accountId()), store.heldAccountIdOf("held@example.org"));
        store.forgetRetained(held.accountId());
        assertEquals(List.of(), store.retained());
        assertEquals(Optional.empty(), store.heldAccountIdOf("held@example.org"));
    }

    /**
     * A verdict that takes its time, as the real judge's hash does, but longer: concurrent
     * registrations then overlap inside their transactions instead of finishing one by one by luck,
     * so a missing lock shows up as a failure.
     */
    private static Verdict slowly(Verdict verdict) {
        try {
            Thread.sleep(30);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return verdict;
    }

    /** Runs {@code task} on {@code n} threads released together; returns the results. */
    private static <T> List<T> concurrently(int n, Callable<T> task) throws Exception {
        CountDownLatch start = new CountDownLatch(1);
        List<T> results = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(n)) {
            List<Future<T>> futures = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                futures.add(pool.submit(() -> {
                    start.await();
                    return task.call();
                }));
            }
            start.countDown();
            for (Future<T> f : futures) {
                results.add(f.get(120, TimeUnit.SECONDS));
            }
        }
        return results;
    }

    @Test
    void startSession_overTheLimit_refusesUntilTheOldestLeavesTheWindow() {
        for (int i = 0; i < 5; i++) {
            started("alice@example.org", T0 + i);
        }
        OptionalLong refused = store.startSession(session("alice@example.org", T0 + 10), 5, HOUR);
        assertEquals(OptionalLong.of(T0 + HOUR), refused);
        assertEquals(T0 + HOUR, store.nextSessionAllowedAt("alice@example.org", 5, HOUR, T0 + 10));
        assertTrue(store.startSession(session("bob@example.org", T0 + 10), 5, HOUR).isEmpty(), "limits are per handle");
        assertTrue(store.startSession(session("alice@example.org", T0 + HOUR), 5, HOUR).isEmpty());
    }

    @Test
    void startSession_concurrentStartsOfOneHandle_neverExceedTheLimit() throws Exception {
        List<Boolean> accepted = concurrently(16, () -> store.startSession(session("alice@example.org", T0), 5, HOUR).isEmpty());
        assertEquals(5, accepted.stream().filter(a -> a).count());
        assertEquals(5, count("SELECT COUNT(*) FROM verification_sessions WHERE handle = ?", "alice@example.org"));
    }

    @Test
    void register_newHandle_createsAccountDeviceAndKeysAndConsumesTheSession() {
        VerificationSession s = started("alice@example.org", T0);
        Outcome outcome = registerOk(s, 42);
        assertEquals(Verdict.OK, outcome.verdict());
        assertFalse(outcome.replacedDevices());
        assertEquals(outcome.accountId(), store.accountIdOf("alice@example.org").orElseThrow());
        assertEquals("alice@example.org", store.handleOf(outcome.accountId()).orElseThrow());
        List<Accounts.DeviceRecord> devices = store.devices(outcome.accountId());
        assertEquals(1, devices.size());
        assertEquals(42, devices.get(0).registrationId());
        assertEquals(2, count("SELECT COUNT(*) FROM signed_prekeys WHERE account_id = ?", outcome.accountId()));
        var credentials = store.credentials(outcome.accountId(), 1).orElseThrow();
        assertEquals(T0 / 86_400_000L, credentials.lastSeenDay());

        Outcome reused = store.register(s.sessionId(), x -> x.consumed() ? Verdict.CONSUMED : Verdict.OK, "unused",
                device(44), T0);
        assertEquals(Verdict.CONSUMED, reused.verdict());
        assertTrue(reused.session().consumed());
    }

    @Test
    void register_unknownSession_isNotFound() {
        assertEquals(Verdict.NOT_FOUND, store.register("no-such-session", x -> Verdict.OK, "a", device(1), T0).verdict());
    }

    @Test
    void accountIdOf_neverRemembersAnUnknownHandleAndAgreesWithAnotherNodeAfterReRegistration() {
        assertTrue(store.accountIdOf("alice@example.org").isEmpty());
        String first = registerOk(started("alice@example.org", T0), 42).accountId();
        assertEquals(first, store.accountIdOf("alice@example.org").orElseThrow(), "the miss was not remembered");
        Outcome again = registerOk(started("alice@example.org", T0 + 1), 43);
        // Another node: its own store (and cache) on the same database.
        JdbcAccountStore otherNode = new JdbcAccountStore(db, KeysFeature.deviceKeys(db), MessagesFeature.store(db));
        assertEquals(first, again.accountId());
        assertEquals(first, store.accountIdOf("alice@example.org").orElseThrow());
        assertEquals(first, otherNode.accountIdOf("alice@example.org").orElseThrow());
    }

    @Test
    void register_existingHandle_keepsTheAccountAndReplacesDevicesKeysAndQueues() {
        String accountId = registerOk(started("alice@example.org", T0), 1).accountId();
        db.write(c -> {
            try (PreparedStatement p = c.prepareStatement("INSERT INTO messages(account_id, device_id, guid, source_account_id,"
                    + " source_device_id, type, content, client_timestamp, server_timestamp, expires_at)"
                    + " VALUES (?, 1, ?, ?, 1, 'signal', ?, 1, 1, 1)")) {
                p.setString(1, accountId);
                p.setString(2, UUID.randomUUID().toString());
                p.setString(3, accountId);
                p.setBytes(4, new byte[] {1});
                p.executeUpdate();
            }
            try (PreparedStatement p = c.prepareStatement(
                    "INSERT INTO one_time_prekeys(account_id, device_id, key_id, public_key) VALUES (?, 1, 5, ?)")) {
                p.setString(1, accountId);
                p.setBytes(2, new byte[] {1});
                p.executeUpdate();
            }
            return null;
        });

        Outcome second = registerOk(started("alice@example.org", T0 + 1), 2);

        assertEquals(accountId, second.accountId());
        assertTrue(second.replacedDevices());
        assertEquals(2, store.devices(accountId).get(0).registrationId());
        assertEquals(0, count("SELECT COUNT(*) FROM messages WHERE account_id = ?", accountId));
        assertEquals(0, count("SELECT COUNT(*) FROM one_time_prekeys WHERE account_id = ?", accountId));
    }

    @Test
    void register_wrongCode_countsAnAttempt() {
        VerificationSession s = started("alice@example.org", T0);
        Outcome wrong = store.register(s.sessionId(), x -> Verdict.WRONG_CODE, "a", device(1), T0);
        assertEquals(Verdict.WRONG_CODE, wrong.verdict());
        assertEquals(0, wrong.session().attempts(), "the outcome carries the session as it was");
        Outcome next = store.register(s.sessionId(), x -> Verdict.WRONG_CODE, "a", device(1), T0);
        assertEquals(1, next.session().attempts());
        assertTrue(store.accountIdOf("alice@example.org").isEmpty());
    }

    @Test
    void register_concurrentWrongGuesses_neverGetMoreThanTheAllowedAttempts() throws Exception {
        VerificationSession s = started("alice@example.org", T0);
        int maxAttempts = 3;
        List<Verdict> verdicts = concurrently(12, () -> store.register(s.sessionId(),
                x -> slowly(x.attempts() >= maxAttempts ? Verdict.DEAD : Verdict.WRONG_CODE), "a", device(1), T0).verdict());
        assertEquals(maxAttempts, verdicts.stream().filter(v -> v == Verdict.WRONG_CODE).count(), verdicts.toString());
        assertEquals(maxAttempts, count("SELECT attempts FROM verification_sessions WHERE session_id = ?", s.sessionId()));
    }

    @Test
    void register_concurrentUsesOfOneSession_registerOnce() throws Exception {
        VerificationSession s = started("alice@example.org", T0);
        List<Outcome> outcomes = concurrently(8, () -> store.register(s.sessionId(),
                x -> slowly(x.consumed() ? Verdict.CONSUMED : Verdict.OK), UUID.randomUUID().toString(), device(1), T0));
        assertEquals(1, outcomes.stream().filter(o -> o.verdict() == Verdict.OK).count());
        assertEquals(1, count("SELECT COUNT(*) FROM handles WHERE handle = ?", "alice@example.org"));
    }

    @Test
    void register_concurrentRegistrationsOfOneHandle_endWithOneAccountAndOneDevice() throws Exception {
        List<VerificationSession> sessions = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            sessions.add(started("alice@example.org", T0 + i));
        }
        AtomicInteger next = new AtomicInteger();
        List<Outcome> outcomes = concurrently(5, () -> {
            int i = next.getAndIncrement();
            return store.register(sessions.get(i).sessionId(), x -> slowly(Verdict.OK), UUID.randomUUID().toString(),
                    device(100 + i), T0);
        });
        assertTrue(outcomes.stream().allMatch(o -> o.verdict() == Verdict.OK), outcomes.toString());
        assertEquals(1, outcomes.stream().filter(o -> !o.replacedDevices()).count(), "exactly one created the account");
        assertEquals(1, outcomes.stream().map(Outcome::accountId).distinct().count());
        String accountId = outcomes.get(0).accountId();
        assertEquals(1, count("SELECT COUNT(*) FROM accounts WHERE account_id = ?", accountId));
        assertEquals(1, store.devices(accountId).size());
        assertEquals(2, count("SELECT COUNT(*) FROM signed_prekeys WHERE account_id = ?", accountId));
    }

    @Test
    void markSeen_neverMovesTheDayBackwards() {
        String accountId = registerOk(started("alice@example.org", T0), 1).accountId();
        long day = T0 / 86_400_000L;
        store.markSeen(accountId, 1, day + 3);
        store.markSeen(accountId, 1, day + 1);
        assertEquals(day + 3, store.credentials(accountId, 1).orElseThrow().lastSeenDay());
        assertTrue(store.credentials(accountId, 2).isEmpty());
    }

    @Test
    void purgeSessions_deletesOnlyExpiredSessionsOutsideTheWindow() {
        started("alice@example.org", T0);
        VerificationSession young = started("bob@example.org", T0 + HOUR);
        assertEquals(1, store.purgeSessions(T0 + HOUR + 1, HOUR));
        assertEquals(0, count("SELECT COUNT(*) FROM verification_sessions WHERE handle = ?", "alice@example.org"));
        assertNotEquals(0, count("SELECT COUNT(*) FROM verification_sessions WHERE session_id = ?", young.sessionId()));
    }

    // ---- linked devices

    /** A device carrying the identity key {@link #device} gives registration id {@code identityOf}. */
    private static NewDevice linkedDevice(int identityOf, int registrationId) {
        return new NewDevice(registrationId, new byte[] {3}, new byte[] {4}, new byte[] {5, (byte) identityOf},
                new SignedPreKey(1, new byte[] {6}, new byte[] {7}), new SignedPreKey(2, new byte[] {8}, new byte[] {9}));
    }

    private static byte[] codeHash(int i) {
        byte[] hash = new byte[32];
        hash[0] = (byte) i;
        hash[1] = 42;
        return hash;
    }

    @Test
    void linkDevice_isOneUse_checksExpiryAndIdentity_andRemoveDeletesTheDevice() {
        String accountId = registerOk(started("+12025550111", T0), 10).accountId();
        assertTrue(store.issueProvisioningCode(accountId, 1, codeHash(1), T0, T0 + 1000, 5));
        assertEquals(AccountStore.LinkVerdict.IDENTITY_MISMATCH, store.linkDevice(codeHash(1), linkedDevice(11, 20), 6, T0).verdict());
        AccountStore.LinkOutcome ok = store.linkDevice(codeHash(1), linkedDevice(10, 20), 6, T0);
        assertEquals(AccountStore.LinkVerdict.OK, ok.verdict());
        assertEquals(2, ok.deviceId());
        assertEquals(AccountStore.LinkVerdict.UNKNOWN_CODE, store.linkDevice(codeHash(1), linkedDevice(10, 21), 6, T0).verdict());

        assertTrue(store.issueProvisioningCode(accountId, 1, codeHash(2), T0, T0 + 1000, 5));
        assertEquals(AccountStore.LinkVerdict.EXPIRED, store.linkDevice(codeHash(2), linkedDevice(10, 21), 6, T0 + 1000).verdict());

        assertTrue(store.removeDevice(accountId, 2));
        assertEquals(List.of(1), store.devices(accountId).stream().map(d -> d.deviceId()).toList());
        assertEquals(0, count("SELECT COUNT(*) FROM signed_prekeys WHERE account_id = ? AND device_id = 2", accountId));
        assertTrue(!store.removeDevice(accountId, 2));
    }

    @Test
    void issueProvisioningCode_refusesBeyondTheOutstandingLimit_andThePurgeDropsExpiredOnes() {
        String accountId = registerOk(started("+12025550112", T0), 10).accountId();
        assertTrue(store.issueProvisioningCode(accountId, 1, codeHash(1), T0, T0 + 1000, 2));
        assertTrue(store.issueProvisioningCode(accountId, 1, codeHash(2), T0, T0 + 1000, 2));
        assertTrue(!store.issueProvisioningCode(accountId, 1, codeHash(3), T0, T0 + 1000, 2));
        assertEquals(2, store.purgeProvisioningCodes(T0 + 1000));
        assertTrue(store.issueProvisioningCode(accountId, 1, codeHash(3), T0 + 1000, T0 + 2000, 2));
    }

    @Test
    void linkDevice_concurrentLinks_neverExceedTheLimitNorShareAnId() throws Exception {
        String accountId = registerOk(started("+12025550113", T0), 10).accountId();
        for (int i = 0; i < 8; i++) {
            assertTrue(store.issueProvisioningCode(accountId, 1, codeHash(i), T0, T0 + 1000, 8));
        }
        java.util.concurrent.atomic.AtomicInteger next = new java.util.concurrent.atomic.AtomicInteger();
        List<AccountStore.LinkOutcome> outcomes = concurrently(8, () -> {
            int i = next.getAndIncrement();
            return store.linkDevice(codeHash(i), linkedDevice(10, 30 + i), 6, T0);
        });
        List<Integer> ids = outcomes.stream().filter(o -> o.verdict() == AccountStore.LinkVerdict.OK)
                .map(AccountStore.LinkOutcome::deviceId).sorted().toList();
        assertEquals(List.of(2, 3, 4, 5, 6), ids);
        assertEquals(3, outcomes.stream().filter(o -> o.verdict() == AccountStore.LinkVerdict.TOO_MANY_DEVICES).count());
        assertEquals(6, store.devices(accountId).size());
    }
}
