// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.parley.server.config.ConfigException;
import org.parley.server.config.ServerConfig;
import org.parley.server.storage.DataDirectory;
import org.parley.server.storage.Database;
import org.parley.server.storage.PostgresDatabase;

/**
 * Opens the server's database as {@code parley server} does: the data directory (created 0700), then
 * the configured backend — SQLite's {@code parley.db} in it (created 0600) with every script of
 * {@link #SCHEMA} applied, or PostgreSQL with every Flyway migration of {@code db/postgresql/} run. The server and the host commands
 * ({@code parley admin token}, {@code parley admin audit}) both open it here, so they always agree
 * on where it is and what schema it has.
 */
public final class ServerDatabase {
    /**
     * Every SQLite schema script, in order. A feature's new table is a new script at the end of this
     * list and, for PostgreSQL, a new Flyway migration {@code db/postgresql/V<next>__<feature>.sql}.
     */
    public static final List<String> SCHEMA = List.of(
            "/db/sqlite/accounts.sql", "/db/sqlite/keys.sql", "/db/sqlite/messages.sql",
            "/db/sqlite/lookuplog.sql", "/db/sqlite/admin.sql", "/db/sqlite/audit.sql",
            "/db/sqlite/admin-revocation.sql", "/db/sqlite/holds.sql", "/db/sqlite/legal.sql",
            "/db/sqlite/legal-order.sql", "/db/sqlite/sms.sql", "/db/sqlite/devices.sql",
            "/db/sqlite/privatelookup.sql", "/db/sqlite/messages-sealed.sql",
            "/db/sqlite/sealedsender.sql", "/db/sqlite/account-deletion.sql",
            "/db/sqlite/attachments.sql", "/db/sqlite/lookuplog-indexes.sql", "/db/sqlite/messages-queue.sql",
            "/db/sqlite/messages-expiry.sql");

    /** The database file's name inside the data directory. */
    public static final String FILE_NAME = "parley.db";

    private ServerDatabase() {}

    /** Creates the data directory if needed, opens the configured backend and migrates the schema. */
    public static Database open(ServerConfig config) {
        // The data directory exists on PostgreSQL too: the first operator token file is written there.
        Path dataDir = DataDirectory.create(config.http().dataDir());
        Database database = config.storage().usesPostgresql()
                ? PostgresDatabase.open(config.storage().postgresql())
                : Database.openSqlite(privateFile(dataDir.resolve(FILE_NAME)), config.storage().sqliteSynchronous());
        try {
            database.migrate(SCHEMA);
            return database;
        } catch (RuntimeException e) {
            database.close();
            throw e;
        }
    }

    /** Creates {@code file} readable by its owner only, if it does not exist; SQLite's -wal and -shm files copy its mode. */
    private static Path privateFile(Path file) {
        try {
            if (!Files.exists(file)) {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            }
            return file;
        } catch (IOException e) {
            throw new ConfigException("cannot create " + file + ": " + e.getMessage(), e);
        }
    }
}
