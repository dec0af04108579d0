// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.accounts;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import org.parley.server.storage.Database;

/**
 * {@link AccountStore} on SQLite or PostgreSQL (tables from {@code db/sqlite/accounts.sql} and
 * {@code db/postgresql/V1__accounts.sql}).
 *
 * <p>Several server nodes may act on the same handle or session at once on PostgreSQL, so each
 * read-modify-write here locks first: the handle (a named lock, as the handle may have no row yet)
 * before counting its sessions or creating its account, the session row before judging a code.
 * On SQLite these locks are no-ops because writes already run one at a time.
 *
 * <p>Sections: the read API other features use ({@link Accounts}, {@link SubscriberRecords},
 * {@link AccountRecords}); verification sessions and registration (which asks the keys and
 * messages features, through {@link DeviceKeys} and {@link DeviceQueues}, to replace the old
 * devices' rows inside its own transaction); device credentials; the purge.
 */
final class JdbcAccountStore implements AccountStore, AccountRecords {
    private static final int PRIMARY_DEVICE = 1;

    /** Handles whose account id is remembered; beyond this many, further ones are looked up each time. */
    static final int MAX_CACHED_HANDLES = 100_000;

    private final Database database;
    private final DeviceKeys keys;
    private final DeviceQueues queues;
    /**
     * Handle to account id, for registered handles only. Re-registration keeps the account id, so
     * only account deletion changes the mapping: this node forgets the handle at once, and every
     * other node trusts an entry for at most {@link #CACHE_TTL_NANOS}, after which it reads the row
     * again. Absence is never cached: a handle can register at any moment, on any node.
     */
    private final Map<String, CachedId> accountIds = new ConcurrentHashMap<>();
    static final long CACHE_TTL_NANOS = java.util.concurrent.TimeUnit.SECONDS.toNanos(60);

    private record CachedId(String accountId, long cachedAtNanos) {}

    JdbcAccountStore(Database database, DeviceKeys keys, DeviceQueues queues) {
        this.database = database;
        this.keys = keys;
        this.queues = queues;
    }

    // ------------------------------------------------------------------ reads for the other features

    @Override
    public Optional<String> accountIdOf(String handle) {
        CachedId cached = accountIds.get(handle);
        if (cached != null && System.nanoTime() - cached.cachedAtNanos() < CACHE_TTL_NANOS) {
            return Optional.of(cached.accountId());
        }
        Optional<String> found = database.read(c -> string(c, "SELECT account_id FROM handles WHERE handle = ?", handle));
        if (found.isPresent() && (cached != null || accountIds.size() < MAX_CACHED_HANDLES)) {
            accountIds.put(handle, new CachedId(found.get(), System.nanoTime()));
        } else if (found.isEmpty() && cached != null) {
            accountIds.remove(handle);
        }
        return found;
    }

    @Override
    public List<HandleOwner> handleOwners() {
        return database.read(c -> {
            List<HandleOwner> out = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement("SELECT handle, account_id FROM handles ORDER BY created_at");
                 ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    out.add(new HandleOwner(rs.getString(1), rs.getString(2)));
                }
            }
            return out;
        });
    }

    @Override
    public Map<String, List<DeviceSlot>> deviceSlots() {
        return database.read(c -> {
            Map<String, List<DeviceSlot>> out = new java.util.HashMap<>();
            try (PreparedStatement s = c.prepareStatement(
                    "SELECT account_id, device_id, registration_id FROM devices ORDER BY account_id, device_id");
                 ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    out.computeIfAbsent(rs.getString(1), a -> new ArrayList<>())
                            .add(new DeviceSlot(rs.getInt(2), rs.getInt(3)));
                }
            }
            return out;
        });
    }

    @Override
    public List<String> handlesOf(String accountId) {
        return database.read(c -> {
            List<String> out = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement("SELECT handle FROM handles WHERE account_id = ? ORDER BY created_at")) {
                s.setString(1, accountId);
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        out.add(rs.getString(1));
                    }
                }
            }
            return out;
        });
    }

    @Override
    public Optional<String> handleOf(String accountId) {
        return database.read(c -> string(c, "SELECT handle FROM handles WHERE account_id = ? ORDER BY created_at LIMIT 1", accountId));
    }

    @Override
    public List<DeviceRecord> devices(String accountId) {
        return database.read(c -> List.copyOf(devicesIn(c, accountId)));
    }

    @Override
    public Optional<Subscriber> subscriber(String handle) {
        return database.read(c -> {
            String accountId;
            LocalDate accountCreated;
            LocalDate handleCreated;
            try (PreparedStatement s = c.prepareStatement("SELECT a.account_id, a.created_at, h.created_at"
                    + " FROM handles h JOIN accounts a ON a.account_id = h.account_id WHERE h.handle = ?")) {
                s.setString(1, handle);
                try (ResultSet rs = s.executeQuery()) {
                    if (!rs.next()) {
                        return retainedSubscriber(c, handle);
                    }
                    accountId = rs.getString(1);
                    accountCreated = day(rs.getLong(2));
                    handleCreated = day(rs.getLong(3));
                }
            }
            List<SubscriberRecords.Device> devices = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement(
                    "SELECT device_id, created_at, last_seen_day FROM devices WHERE account_id = ? ORDER BY device_id")) {
                s.setString(1, accountId);
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        devices.add(new SubscriberRecords.Device(rs.getInt(1), day(rs.getLong(2)),
                                LocalDate.ofEpochDay(rs.getLong(3))));
                    }
                }
            }
            return Optional.of(new Subscriber(accountId, handle, accountCreated, handleCreated, devices));
        });
    }

    /** A deleted account's subscriber record, kept because a hold covers it; empty otherwise. */
    private static Optional<Subscriber> retainedSubscriber(Connection c, String handle) throws SQLException {
        String accountId;
        LocalDate accountCreated;
        LocalDate handleCreated;
        try (PreparedStatement s = c.prepareStatement("SELECT account_id, account_created_at, handle_created_at"
                + " FROM retained_accounts WHERE handle = ? AND account_created_at IS NOT NULL"
                + " ORDER BY deleted_at DESC LIMIT 1")) {
            s.setString(1, handle);
            try (ResultSet rs = s.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                accountId = rs.getString(1);
                accountCreated = day(rs.getLong(2));
                handleCreated = day(rs.getLong(3));
            }
        }
        List<SubscriberRecords.Device> devices = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement(
                "SELECT device_id, created_at, last_seen_day FROM retained_devices WHERE account_id = ? ORDER BY device_id")) {
            s.setString(1, accountId);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    devices.add(new SubscriberRecords.Device(rs.getInt(1), day(rs.getLong(2)),
                            LocalDate.ofEpochDay(rs.getLong(3))));
                }
            }
        }
        return Optional.of(new Subscriber(accountId, handle, accountCreated, handleCreated, devices));
    }

    @Override
    public Optional<String> heldAccountIdOf(String handle) {
        return database.read(c -> string(c,
                "SELECT account_id FROM retained_accounts WHERE handle = ? ORDER BY deleted_at DESC LIMIT 1", handle));
    }

    private static LocalDate day(long epochMillis) {
        return LocalDate.ofEpochDay(Math.floorDiv(epochMillis, 86_400_000L));
    }

    @Override
    public Optional<AccountRecord> record(String accountId) {
        return database.read(c -> {
            long createdAt;
            try (PreparedStatement s = c.prepareStatement("SELECT created_at FROM accounts WHERE account_id = ?")) {
                s.setString(1, accountId);
                try (ResultSet rs = s.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.empty();
                    }
                    createdAt = rs.getLong(1);
                }
            }
            List<String> handles = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement("SELECT handle FROM handles WHERE account_id = ? ORDER BY created_at")) {
                s.setString(1, accountId);
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        handles.add(rs.getString(1));
                    }
                }
            }
            List<DeviceDates> devices = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement(
                    "SELECT device_id, created_at, last_seen_day FROM devices WHERE account_id = ? ORDER BY device_id")) {
                s.setString(1, accountId);
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        devices.add(new DeviceDates(rs.getInt(1), rs.getLong(2), rs.getLong(3)));
                    }
                }
            }
            return Optional.of(new AccountRecord(accountId, createdAt, List.copyOf(handles), List.copyOf(devices)));
        });
    }

    // ------------------------------------------------------------------ verification sessions and registration

    @Override
    public OptionalLong startSession(VerificationSession session, int maxPerWindow, long windowMillis) {
        return database.write(c -> {
            database.dialect().lock(c, handleLock(session.handle()));
            long allowedAt = nextAllowed(c, session.handle(), maxPerWindow, windowMillis, session.createdAt());
            if (allowedAt > session.createdAt()) {
                return OptionalLong.of(allowedAt);
            }
            update(c, """
                    INSERT INTO verification_sessions(session_id, handle, code_salt, code_hash, created_at, expires_at, attempts)
                    VALUES (?, ?, ?, ?, ?, ?, 0)""",
                    session.sessionId(), session.handle(), session.codeSalt(), session.codeHash(),
                    session.createdAt(), session.expiresAt());
            return OptionalLong.empty();
        });
    }

    @Override
    public long nextSessionAllowedAt(String handle, int maxPerWindow, long windowMillis, long now) {
        return database.read(c -> nextAllowed(c, handle, maxPerWindow, windowMillis, now));
    }

    /** With n sessions in the window, the (n - max)-th oldest must leave it before another may start. */
    private static long nextAllowed(Connection c, String handle, int max, long windowMillis, long now) throws SQLException {
        List<Long> starts = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement(
                "SELECT created_at FROM verification_sessions WHERE handle = ? AND created_at > ? ORDER BY created_at")) {
            s.setString(1, handle);
            s.setLong(2, now - windowMillis);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    starts.add(rs.getLong(1));
                }
            }
        }
        if (starts.size() < max) {
            return now;
        }
        return starts.get(starts.size() - max) + windowMillis;
    }

    @Override
    public Outcome register(String sessionId, Judge judge, String newAccountId, NewDevice device, long now) {
        return database.write(c -> {
            // Locked until commit: concurrent guesses are judged one after another, each seeing
            // the attempts (and the consumption) the previous one committed.
            VerificationSession session = session(c, sessionId, database.dialect().forUpdate());
            if (session == null) {
                return new Outcome(Verdict.NOT_FOUND, null, null, false);
            }
            Verdict verdict = judge.judge(session);
            if (verdict == Verdict.WRONG_CODE) {
                update(c, "UPDATE verification_sessions SET attempts = attempts + 1 WHERE session_id = ?", sessionId);
            }
            if (verdict != Verdict.OK) {
                return new Outcome(verdict, session, null, false);
            }
            // Two sessions of one handle registering at once must not both create an account.
            database.dialect().lock(c, handleLock(session.handle()));
            Optional<String> existing = string(c, "SELECT account_id FROM handles WHERE handle = ?", session.handle());
            String accountId = existing.orElse(newAccountId);
            if (existing.isPresent()) {
                deleteDevices(c, accountId);
            } else {
                update(c, "INSERT INTO accounts(account_id, created_at) VALUES (?, ?)", accountId, now);
                update(c, "INSERT INTO handles(handle, account_id, created_at) VALUES (?, ?, ?)", session.handle(), accountId, now);
            }
            update(c, """
                    INSERT INTO devices(account_id, device_id, registration_id, password_salt, password_hash,
                                        identity_key, created_at, last_seen_day)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)""",
                    accountId, PRIMARY_DEVICE, device.registrationId(), device.passwordSalt(), device.passwordHash(),
                    device.identityKey(), now, Math.floorDiv(now, 86_400_000L));
            keys.storeInitialKeys(accountId, PRIMARY_DEVICE, device.signedPreKey(), device.pqLastResortPreKey());
            update(c, "UPDATE verification_sessions SET consumed_at = ? WHERE session_id = ?", now, sessionId);
            return new Outcome(Verdict.OK, session, accountId, existing.isPresent());
        });
    }

    /** Queued messages, keys, then devices: dependants first, whatever foreign keys they declare. */
    private void deleteDevices(Connection c, String accountId) throws SQLException {
        // Other features own the queues and the keys; their writes join this transaction.
        queues.deleteAccountQueues(accountId);
        keys.deleteAccountKeys(accountId);
        update(c, "DELETE FROM devices WHERE account_id = ?", accountId);
        // A code issued by a replaced device must not let a device into the new registration.
        update(c, "DELETE FROM provisioning_codes WHERE account_id = ?", accountId);
    }

    // ------------------------------------------------------------------ linked devices

    @Override
    public boolean issueProvisioningCode(String accountId, int issuedBy, byte[] codeHash, long now, long expiresAt,
                                         int maxOutstanding) {
        return database.write(c -> {
            database.dialect().lock(c, accountLock(accountId));
            long outstanding;
            try (PreparedStatement s = c.prepareStatement(
                    "SELECT COUNT(*) FROM provisioning_codes WHERE account_id = ? AND expires_at > ?")) {
                s.setString(1, accountId);
                s.setLong(2, now);
                try (ResultSet rs = s.executeQuery()) {
                    rs.next();
                    outstanding = rs.getLong(1);
                }
            }
            if (outstanding >= maxOutstanding) {
                return false;
            }
            update(c, "INSERT INTO provisioning_codes(code_hash, account_id, issued_by, created_at, expires_at) VALUES (?, ?, ?, ?, ?)",
                    codeHash, accountId, issuedBy, now, expiresAt);
            return true;
        });
    }

    @Override
    public LinkOutcome linkDevice(byte[] codeHash, NewDevice device, int maxDevices, long now) {
        return database.write(c -> {
            String accountId;
            long expiresAt;
            try (PreparedStatement s = c.prepareStatement(
                    "SELECT account_id, expires_at FROM provisioning_codes WHERE code_hash = ?" + database.dialect().forUpdate())) {
                s.setBytes(1, codeHash);
                try (ResultSet rs = s.executeQuery()) {
                    if (!rs.next()) {
                        return new LinkOutcome(LinkVerdict.UNKNOWN_CODE, null, 0);
                    }
                    accountId = rs.getString(1);
                    expiresAt = rs.getLong(2);
                }
            }
            if (now >= expiresAt) {
                update(c, "DELETE FROM provisioning_codes WHERE code_hash = ?", codeHash);
                return new LinkOutcome(LinkVerdict.EXPIRED, accountId, 0);
            }
            // Two devices linking at once must not both take the last free slot or the same id.
            database.dialect().lock(c, accountLock(accountId));
            List<DeviceRecord> existing = devicesIn(c, accountId);
            if (existing.size() >= maxDevices) {
                return new LinkOutcome(LinkVerdict.TOO_MANY_DEVICES, accountId, 0);
            }
            if (existing.isEmpty() || !java.security.MessageDigest.isEqual(existing.getFirst().identityKey(), device.identityKey())) {
                return new LinkOutcome(LinkVerdict.IDENTITY_MISMATCH, accountId, 0);
            }
            int deviceId = lowestFreeId(existing, maxDevices);
            update(c, """
                    INSERT INTO devices(account_id, device_id, registration_id, password_salt, password_hash,
                                        identity_key, created_at, last_seen_day)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)""",
                    accountId, deviceId, device.registrationId(), device.passwordSalt(), device.passwordHash(),
                    device.identityKey(), now, Math.floorDiv(now, 86_400_000L));
            keys.storeInitialKeys(accountId, deviceId, device.signedPreKey(), device.pqLastResortPreKey());
            update(c, "DELETE FROM provisioning_codes WHERE code_hash = ?", codeHash);
            return new LinkOutcome(LinkVerdict.OK, accountId, deviceId);
        });
    }

    /** Ids stay within 1..max (delivery and the send limits count on that), so a removed device's id is reused. */
    private static int lowestFreeId(List<DeviceRecord> existing, int max) {
        java.util.Set<Integer> taken = new java.util.HashSet<>();
        existing.forEach(d -> taken.add(d.deviceId()));
        for (int id = 1; id <= max; id++) {
            if (!taken.contains(id)) {
                return id;
            }
        }
        throw new IllegalStateException("no free device id below " + max);
    }

    @Override
    public boolean removeDevice(String accountId, int deviceId) {
        return database.write(c -> {
            database.dialect().lock(c, accountLock(accountId));
            queues.deleteDeviceQueue(accountId, deviceId);
            keys.deleteDeviceKeys(accountId, deviceId);
            try (PreparedStatement s = c.prepareStatement("DELETE FROM devices WHERE account_id = ? AND device_id = ?")) {
                s.setString(1, accountId);
                s.setInt(2, deviceId);
                return s.executeUpdate() > 0;
            }
        });
    }

    @Override
    public long purgeProvisioningCodes(long now) {
        return database.write(c -> {
            try (PreparedStatement s = c.prepareStatement("DELETE FROM provisioning_codes WHERE expires_at <= ?")) {
                s.setLong(1, now);
                return (long) s.executeUpdate();
            }
        });
    }

    /** The named lock that serialises device changes of one account. */
    private static String accountLock(String accountId) {
        return "account-devices:" + accountId;
    }

    private static List<DeviceRecord> devicesIn(Connection c, String accountId) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(
                "SELECT device_id, registration_id, identity_key FROM devices WHERE account_id = ? ORDER BY device_id")) {
            s.setString(1, accountId);
            try (ResultSet rs = s.executeQuery()) {
                List<DeviceRecord> devices = new ArrayList<>();
                while (rs.next()) {
                    devices.add(new DeviceRecord(rs.getInt(1), rs.getInt(2), rs.getBytes(3)));
                }
                return devices;
            }
        }
    }

    // ------------------------------------------------------------------ account deletion

    @Override
    public Optional<String> delete(String accountId, SubscriberHolds.Held held, long now) {
        Optional<String> deleted = database.write(c -> {
            Optional<String> handle = string(c, "SELECT handle FROM handles WHERE account_id = ? ORDER BY created_at LIMIT 1",
                    accountId);
            if (handle.isEmpty()) {
                return Optional.<String>empty();
            }
            // The same lock as registration: a registration of this handle waits for the deletion.
            database.dialect().lock(c, handleLock(handle.get()));
            if (held.any()) {
                retain(c, accountId, handle.get(), held.subscriber(), now);
            }
            deleteDevices(c, accountId);
            update(c, "DELETE FROM handles WHERE account_id = ?", accountId);
            update(c, "DELETE FROM accounts WHERE account_id = ?", accountId);
            return handle;
        });
        deleted.ifPresent(accountIds::remove);
        return deleted;
    }

    /** Copies what the holds preserve into the retained tables, inside the deletion's transaction. */
    private static void retain(Connection c, String accountId, String handle, boolean withDates, long now)
            throws SQLException {
        if (withDates) {
            update(c, """
                    INSERT INTO retained_accounts(account_id, handle, deleted_at, account_created_at, handle_created_at)
                    SELECT a.account_id, h.handle, ?, a.created_at, h.created_at
                    FROM accounts a JOIN handles h ON h.account_id = a.account_id
                    WHERE a.account_id = ? AND h.handle = ?""", now, accountId, handle);
            update(c, """
                    INSERT INTO retained_devices(account_id, device_id, created_at, last_seen_day)
                    SELECT account_id, device_id, created_at, last_seen_day FROM devices WHERE account_id = ?""",
                    accountId);
        } else {
            update(c, "INSERT INTO retained_accounts(account_id, handle, deleted_at) VALUES (?, ?, ?)",
                    accountId, handle, now);
        }
    }

    @Override
    public List<Retained> retained() {
        return database.read(c -> {
            try (PreparedStatement s = c.prepareStatement(
                    "SELECT account_id, handle, account_created_at FROM retained_accounts ORDER BY deleted_at");
                    ResultSet rs = s.executeQuery()) {
                List<Retained> out = new ArrayList<>();
                while (rs.next()) {
                    rs.getLong(3);
                    out.add(new Retained(rs.getString(1), rs.getString(2), !rs.wasNull()));
                }
                return out;
            }
        });
    }

    @Override
    public void forgetRetainedDates(String accountId) {
        database.write(c -> {
            update(c, "DELETE FROM retained_devices WHERE account_id = ?", accountId);
            update(c, "UPDATE retained_accounts SET account_created_at = NULL, handle_created_at = NULL WHERE account_id = ?",
                    accountId);
            return null;
        });
    }

    @Override
    public void forgetRetained(String accountId) {
        database.write(c -> {
            update(c, "DELETE FROM retained_devices WHERE account_id = ?", accountId);
            update(c, "DELETE FROM retained_accounts WHERE account_id = ?", accountId);
            return null;
        });
    }

    /** The named lock that serialises session starts and registrations of one handle. */
    private static String handleLock(String handle) {
        return "handle:" + handle;
    }

    private static VerificationSession session(Connection c, String sessionId, String lock) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("""
                SELECT session_id, handle, code_salt, code_hash, created_at, expires_at, attempts, consumed_at
                FROM verification_sessions WHERE session_id = ?""" + lock)) {
            s.setString(1, sessionId);
            try (ResultSet rs = s.executeQuery()) {
                if (!rs.next()) {
                    return null;
                }
                rs.getLong(8);
                boolean consumed = !rs.wasNull();
                return new VerificationSession(rs.getString(1), rs.getString(2), rs.getBytes(3), rs.getBytes(4),
                        rs.getLong(5), rs.getLong(6), rs.getInt(7), consumed);
            }
        }
    }

    // ------------------------------------------------------------------ device credentials and the purge

    @Override
    public Optional<Credentials> credentials(String accountId, int deviceId) {
        return database.read(c -> {
            try (PreparedStatement s = c.prepareStatement("""
                    SELECT password_salt, password_hash, last_seen_day FROM devices
                    WHERE account_id = ? AND device_id = ?""")) {
                s.setString(1, accountId);
                s.setInt(2, deviceId);
                try (ResultSet rs = s.executeQuery()) {
                    return rs.next()
                            ? Optional.of(new Credentials(accountId, deviceId, rs.getBytes(1), rs.getBytes(2), rs.getLong(3)))
                            : Optional.empty();
                }
            }
        });
    }

    @Override
    public void markSeen(String accountId, int deviceId, long day) {
        database.write(c -> {
            update(c, "UPDATE devices SET last_seen_day = ? WHERE account_id = ? AND device_id = ? AND last_seen_day < ?",
                    day, accountId, deviceId, day);
            return null;
        });
    }

    @Override
    public long purgeSessions(long now, long windowMillis) {
        return database.write(c -> {
            try (PreparedStatement s = c.prepareStatement(
                    "DELETE FROM verification_sessions WHERE expires_at <= ? AND created_at <= ?")) {
                s.setLong(1, now);
                s.setLong(2, now - windowMillis);
                return (long) s.executeUpdate();
            }
        });
    }

    private static Optional<String> string(Connection c, String sql, String arg) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, arg);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
        }
    }

    private static void update(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                s.setObject(i + 1, args[i]);
            }
            s.executeUpdate();
        }
    }
}
