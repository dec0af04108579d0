// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.keys;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.parley.protocol.DeviceBundle;
import org.parley.protocol.KeyUploadRequest;
import org.parley.protocol.PreKey;
import org.parley.protocol.PreKeyCounts;
import org.parley.protocol.SignedPreKey;
import org.parley.server.accounts.Accounts.DeviceRecord;
import org.parley.server.storage.Database;

/**
 * {@link KeyStore} on SQLite or PostgreSQL (tables from {@code db/sqlite/keys.sql} and
 * {@code db/postgresql/V2__keys.sql}).
 *
 * <p>A one-time prekey is claimed by one statement that deletes it and returns it, choosing it with
 * {@code FOR UPDATE SKIP LOCKED} on PostgreSQL: two fetches on any nodes never get the same key and
 * never wait for each other.
 */
final class JdbcKeyStore implements KeyStore {
    private static final String EC = "ec";
    private static final String KYBER = "kyber";

    private final Database database;

    JdbcKeyStore(Database database) {
        this.database = database;
    }

    @Override
    public void storeInitialKeys(String accountId, int deviceId, SignedPreKey signedPreKey,
                                 SignedPreKey pqLastResortPreKey) {
        database.write(c -> {
            for (String table : List.of("signed_prekeys", "one_time_prekeys", "one_time_kyber_prekeys")) {
                update(c, "DELETE FROM " + table + " WHERE account_id = ? AND device_id = ?", accountId, deviceId);
            }
            upsertSigned(c, accountId, deviceId, EC, signedPreKey);
            upsertSigned(c, accountId, deviceId, KYBER, pqLastResortPreKey);
            return null;
        });
    }

    @Override
    public void deleteDeviceKeys(String accountId, int deviceId) {
        database.write(c -> {
            for (String table : List.of("signed_prekeys", "one_time_prekeys", "one_time_kyber_prekeys")) {
                update(c, "DELETE FROM " + table + " WHERE account_id = ? AND device_id = ?", accountId, deviceId);
            }
            return null;
        });
    }

    @Override
    public void deleteAccountKeys(String accountId) {
        database.write(c -> {
            for (String table : List.of("signed_prekeys", "one_time_prekeys", "one_time_kyber_prekeys")) {
                update(c, "DELETE FROM " + table + " WHERE account_id = ?", accountId);
            }
            return null;
        });
    }

    @Override
    public UploadResult upload(String accountId, int deviceId, KeyUploadRequest upload, int maxOneTimeKeys) {
        return database.write(c -> {
            if (!lockDevice(c, accountId, deviceId)) {
                return UploadResult.NO_DEVICE;
            }
            // Checked before writing, under the device lock; re-uploading an id already stored counts
            // twice here, which only errs towards refusing.
            if (count(c, "one_time_prekeys", accountId, deviceId) + upload.preKeys().size() > maxOneTimeKeys
                    || count(c, "one_time_kyber_prekeys", accountId, deviceId) + upload.pqPreKeys().size() > maxOneTimeKeys) {
                return UploadResult.OVER_CAP;
            }
            for (PreKey key : upload.preKeys()) {
                update(c, """
                        INSERT INTO one_time_prekeys(account_id, device_id, key_id, public_key) VALUES (?, ?, ?, ?)
                        ON CONFLICT(account_id, device_id, key_id) DO UPDATE SET public_key = excluded.public_key""",
                        accountId, deviceId, key.keyId(), key.publicKey());
            }
            for (SignedPreKey key : upload.pqPreKeys()) {
                update(c, """
                        INSERT INTO one_time_kyber_prekeys(account_id, device_id, key_id, public_key, signature)
                        VALUES (?, ?, ?, ?, ?)
                        ON CONFLICT(account_id, device_id, key_id)
                        DO UPDATE SET public_key = excluded.public_key, signature = excluded.signature""",
                        accountId, deviceId, key.keyId(), key.publicKey(), key.signature());
            }
            if (upload.signedPreKey() != null) {
                upsertSigned(c, accountId, deviceId, EC, upload.signedPreKey());
            }
            if (upload.pqLastResortPreKey() != null) {
                upsertSigned(c, accountId, deviceId, KYBER, upload.pqLastResortPreKey());
            }
            return UploadResult.STORED;
        });
    }

    @Override
    public PreKeyCounts counts(String accountId, int deviceId) {
        return database.read(c -> new PreKeyCounts(
                count(c, "one_time_prekeys", accountId, deviceId),
                count(c, "one_time_kyber_prekeys", accountId, deviceId)));
    }

    @Override
    public List<FetchedBundle> takeBundles(String accountId, List<DeviceRecord> devices) {
        // One write transaction: the bundles of all devices are taken together or not at all.
        return database.write(c -> {
            List<FetchedBundle> bundles = new ArrayList<>();
            for (DeviceRecord device : devices) {
                SignedPreKey signed = signed(c, accountId, device.deviceId(), EC);
                SignedPreKey lastResort = signed(c, accountId, device.deviceId(), KYBER);
                if (signed == null || lastResort == null) {
                    continue;
                }
                PreKey preKey = takePreKey(c, accountId, device.deviceId(), skipLocked());
                SignedPreKey pqPreKey = takeKyberPreKey(c, accountId, device.deviceId(), skipLocked());
                bundles.add(new FetchedBundle(new DeviceBundle(device.deviceId(), device.registrationId(),
                        device.identityKey(), signed, preKey, pqPreKey != null ? pqPreKey : lastResort), pqPreKey == null));
            }
            return bundles;
        });
    }

    private String skipLocked() {
        return database.dialect().forUpdateSkipLocked();
    }

    /** Deletes and returns the device's lowest one-time EC prekey, or null when it has none left. */
    private static PreKey takePreKey(Connection c, String accountId, int deviceId, String skipLocked) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("""
                DELETE FROM one_time_prekeys WHERE account_id = ? AND device_id = ? AND key_id = (
                    SELECT key_id FROM one_time_prekeys WHERE account_id = ? AND device_id = ?
                    ORDER BY key_id LIMIT 1""" + skipLocked + """
                )
                RETURNING key_id, public_key""")) {
            bind(s, accountId, deviceId, accountId, deviceId);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? new PreKey(rs.getInt(1), rs.getBytes(2)) : null;
            }
        }
    }

    /** Deletes and returns the device's lowest one-time Kyber prekey, or null when it has none left. */
    private static SignedPreKey takeKyberPreKey(Connection c, String accountId, int deviceId, String skipLocked)
            throws SQLException {
        try (PreparedStatement s = c.prepareStatement("""
                DELETE FROM one_time_kyber_prekeys WHERE account_id = ? AND device_id = ? AND key_id = (
                    SELECT key_id FROM one_time_kyber_prekeys WHERE account_id = ? AND device_id = ?
                    ORDER BY key_id LIMIT 1""" + skipLocked + """
                )
                RETURNING key_id, public_key, signature""")) {
            bind(s, accountId, deviceId, accountId, deviceId);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? new SignedPreKey(rs.getInt(1), rs.getBytes(2), rs.getBytes(3)) : null;
            }
        }
    }

    private static SignedPreKey signed(Connection c, String accountId, int deviceId, String kind) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("""
                SELECT key_id, public_key, signature FROM signed_prekeys
                WHERE account_id = ? AND device_id = ? AND kind = ?""")) {
            bind(s, accountId, deviceId, kind);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? new SignedPreKey(rs.getInt(1), rs.getBytes(2), rs.getBytes(3)) : null;
            }
        }
    }

    private static void upsertSigned(Connection c, String accountId, int deviceId, String kind, SignedPreKey key)
            throws SQLException {
        update(c, """
                INSERT INTO signed_prekeys(account_id, device_id, kind, key_id, public_key, signature)
                VALUES (?, ?, ?, ?, ?, ?)
                ON CONFLICT(account_id, device_id, kind)
                DO UPDATE SET key_id = excluded.key_id, public_key = excluded.public_key, signature = excluded.signature""",
                accountId, deviceId, kind, key.keyId(), key.publicKey(), key.signature());
    }

    /**
     * True when the device exists, and then it cannot be deleted (re-registration) until this
     * transaction ends: keys uploaded by a device being replaced must not land on its successor.
     */
    private boolean lockDevice(Connection c, String accountId, int deviceId) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT 1 FROM devices WHERE account_id = ? AND device_id = ?"
                + database.dialect().forKeyShare())) {
            bind(s, accountId, deviceId);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next();
            }
        }
    }

    private static int count(Connection c, String table, String accountId, int deviceId) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(
                "SELECT COUNT(*) FROM " + table + " WHERE account_id = ? AND device_id = ?")) {
            bind(s, accountId, deviceId);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    private static void update(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(sql)) {
            bind(s, args);
            s.executeUpdate();
        }
    }

    private static void bind(PreparedStatement s, Object... args) throws SQLException {
        for (int i = 0; i < args.length; i++) {
            s.setObject(i + 1, args[i]);
        }
    }
}
