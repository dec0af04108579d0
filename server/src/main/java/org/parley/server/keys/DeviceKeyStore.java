// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.keys;

import java.sql.Connection;
import java.sql.SQLException;
import org.parley.protocol.SignedPreKey;
import org.parley.server.storage.Database;

/**
 * The part of key storage that account registration needs inside its own write transaction: the
 * accounts feature creates and replaces devices, and their keys must change in the same commit.
 * Every method runs on the caller's connection and never commits.
 */
public interface DeviceKeyStore {
    /**
     * Stores a new device's signed EC prekey and Kyber last-resort prekey, replacing any keys the
     * device had. The signatures must already have been checked ({@link PreKeyChecks}); the device
     * row must exist.
     */
    void storeInitialKeys(Connection connection, String accountId, int deviceId, SignedPreKey signedPreKey,
                          SignedPreKey pqLastResortPreKey) throws SQLException;

    /** Deletes every key of every device of the account (re-registration). */
    void deleteAccountKeys(Connection connection, String accountId) throws SQLException;

    /** The SQL implementation over {@code database} (SQLite or PostgreSQL). */
    static DeviceKeyStore create(Database database) {
        return new JdbcKeyStore(database);
    }
}
