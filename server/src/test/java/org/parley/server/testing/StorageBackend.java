// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.testing;

import java.nio.file.Path;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.parley.server.ServerDatabase;
import org.parley.server.storage.Database;
import org.parley.server.storage.Dialect;
import org.parley.server.storage.PostgresDatabase;

/**
 * The storage backends every store contract test runs against. Use it as the parameter of a
 * {@code @ParameterizedClass @EnumSource(StorageBackend.class)} test and open a fresh database per
 * test with {@link #open(Path)}.
 */
public enum StorageBackend {
    /** A new SQLite file in the test's directory, with every script of {@link ServerDatabase#SCHEMA}. */
    SQLITE {
        @Override
        public Database open(Path dir) {
            Database db = Database.openSqlite(dir.resolve("contract-" + System.nanoTime() + ".db"), "NORMAL");
            db.migrate(ServerDatabase.SCHEMA);
            return db;
        }
    },
    /**
     * A new database in the shared test PostgreSQL ({@link PostgresProcess#shared()}), copied from a
     * template that Flyway migrated once per JVM, and dropped again when the test closes it.
     */
    POSTGRESQL {
        @Override
        public Database open(Path dir) {
            PostgresProcess pg = PostgresProcess.shared();
            String name = pg.createDatabaseFrom(migratedTemplate(pg));
            return new DroppedOnClose(PostgresDatabase.open(pg.settings(name, 8)), () -> pg.dropDatabase(name));
        }
    };

    private static String template;

    /**
     * Every test opens a pool and most a Flyway run; their INFO lines would bury the test output.
     * Held here because java.util.logging keeps loggers only weakly.
     */
    private static final List<Logger> QUIETED = List.of(Logger.getLogger("com.zaxxer.hikari"), Logger.getLogger("org.flywaydb"));

    static {
        QUIETED.forEach(logger -> logger.setLevel(Level.WARNING));
    }

    /** A fresh, fully migrated database; the caller closes it. */
    public abstract Database open(Path dir);

    private static synchronized String migratedTemplate(PostgresProcess pg) {
        if (template == null) {
            String name = pg.createDatabase();
            try (Database db = PostgresDatabase.open(pg.settings(name, 2))) {
                db.migrate(List.of());
            }
            template = name;
        }
        return template;
    }

    /** The backend's own database behind what {@link #open} returned, for tests of backend internals. */
    public static Database unwrapped(Database db) {
        return db instanceof DroppedOnClose dropped ? dropped.db() : db;
    }

    /** A database that removes itself when closed, so a long test run does not pile them up. */
    private record DroppedOnClose(Database db, Runnable drop) implements Database {
        @Override
        public <T> T write(SqlWork<T> work) {
            return db.write(work);
        }

        @Override
        public <T> T writeShared(SqlWork<T> work) {
            return db.writeShared(work);
        }

        @Override
        public <T> T read(SqlWork<T> work) {
            return db.read(work);
        }

        @Override
        public void migrate(List<String> sqliteScripts) {
            db.migrate(sqliteScripts);
        }

        @Override
        public void scrubDeleted(java.util.Collection<String> tables) {
            db.scrubDeleted(tables);
        }

        @Override
        public Dialect dialect() {
            return db.dialect();
        }

        @Override
        public boolean isHealthy() {
            return db.isHealthy();
        }

        @Override
        public void registerMetrics(io.micrometer.core.instrument.MeterRegistry meters) {
            db.registerMetrics(meters);
        }

        @Override
        public void close() {
            db.close();
            drop.run();
        }
    }
}
