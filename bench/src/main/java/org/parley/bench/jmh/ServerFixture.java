// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.bench.jmh;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.parley.server.feature.ServerContext;
import org.parley.server.config.ConfigLoader;
import org.parley.server.config.LookupLogMode;
import org.parley.server.config.ServerConfig;
import org.parley.server.http.ClientAddresses;
import org.parley.server.storage.Database;
import org.parley.server.storage.PurgeScheduler;

/**
 * The server's storage as {@code ParleyServer} builds it, without HTTP: a real SQLite file in a fresh
 * temporary directory, every feature's schema applied in the wiring order, and a {@link ServerContext}
 * from the shipped defaults. The purge scheduler is never started, so no purge runs mid-measurement.
 */
final class ServerFixture implements AutoCloseable {
    /** The schema scripts in the order the server applies them. */
    static final List<String> SCHEMA = org.parley.server.ServerDatabase.SCHEMA;

    private final Path dir;
    private final Database database;
    private final ServerContext ctx;

    private ServerFixture(Path dir, Database database, ServerContext ctx) {
        this.dir = dir;
        this.database = database;
        this.ctx = ctx;
    }

    /**
     * Opens a new database with {@code PRAGMA synchronous=<synchronous>} (FULL or NORMAL) and the given
     * lookup-log mode; everything else is the default configuration.
     */
    static ServerFixture open(String synchronous, LookupLogMode lookupLogMode) {
        Path dir;
        try {
            dir = Files.createTempDirectory("parley-jmh-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ServerConfig defaults = ConfigLoader.defaultsOnly().withHttp(null, 0, dir);
        ServerConfig config = defaults.withLookupLog(new ServerConfig.LookupLog(lookupLogMode,
                defaults.lookupLog().retention(), defaults.lookupLog().purgeInterval()));
        Database database;
        try {
            database = Database.openSqlite(dir.resolve("parley.db"), synchronous);
        } catch (RuntimeException e) {
            deleteTree(dir);
            throw e;
        }
        try {
            database.migrate(SCHEMA);
        } catch (RuntimeException e) {
            database.close();
            deleteTree(dir);
            throw e;
        }
        Clock clock = Clock.systemUTC();
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        ServerContext ctx = new ServerContext(config, database, clock, new SecureRandom(), meters,
                new ClientAddresses(config.http().trustedProxies()), new PurgeScheduler(clock, meters));
        return new ServerFixture(dir, database, ctx);
    }

    ServerContext ctx() {
        return ctx;
    }

    Database database() {
        return database;
    }

    @Override
    public void close() {
        ctx.purges().close();
        database.close();
        deleteTree(dir);
    }

    /** Removes a benchmark's temporary directory and everything in it. */
    static void deleteTree(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
