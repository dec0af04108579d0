// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.security.SecureRandom;
import java.time.Clock;
import org.parley.server.admin.HostTokens;
import org.parley.server.audit.AuditFeature;
import org.parley.server.config.ConfigException;
import org.parley.server.config.ServerConfig;
import org.parley.server.feature.ServerContext;
import org.parley.server.http.ClientAddresses;
import org.parley.server.storage.Database;
import org.parley.server.storage.PurgeScheduler;

/**
 * What the host commands need, on the server's own database without a running server: token
 * management and the audit log, on whichever backend the configuration names. SQLite lets this
 * process and a running server share the file (WAL mode, busy timeout); PostgreSQL is shared by
 * design, and audit appends from here queue on the same chain lock as the nodes'. The server reads
 * tokens from the database on every request, so a token created or revoked here takes effect at
 * once on every node.
 */
public final class HostTools implements AutoCloseable {
    private final Database database;
    private final AuditFeature audit;
    private final HostTokens tokens;

    private HostTools(Database database, AuditFeature audit, HostTokens tokens) {
        this.database = database;
        this.audit = audit;
        this.tokens = tokens;
    }

    /**
     * Opens the database {@code config} names and brings its schema up to date, as the server would.
     * A SQLite database must exist: a mistyped --data-dir must not quietly create a second, empty
     * server whose tokens the real one would never accept. A PostgreSQL database is named by its
     * URL, which the server's configuration shares, so there is no such second place to create.
     *
     * @throws ConfigException when there is no SQLite database in the data directory
     */
    public static HostTools open(ServerConfig config, Clock clock) {
        java.nio.file.Path file = config.http().dataDir().resolve(ServerDatabase.FILE_NAME);
        if (!config.storage().usesPostgresql() && !java.nio.file.Files.isRegularFile(file)) {
            throw new ConfigException("no Parley database at " + file.toAbsolutePath() + "; pass the server's"
                    + " --data-dir (or --config), or start the server once to create it");
        }
        Database database = ServerDatabase.open(config);
        try {
            SimpleMeterRegistry meters = new SimpleMeterRegistry();
            // The scheduler is never started here: purges are the server's job.
            ServerContext ctx = new ServerContext(config, database, clock, new SecureRandom(), meters,
                    new ClientAddresses(config.http().trustedProxies()), new PurgeScheduler(clock, meters));
            AuditFeature audit = AuditFeature.create(ctx);
            return new HostTools(database, audit, new HostTokens(database, audit.log(), clock, ctx.random()));
        } catch (RuntimeException e) {
            database.close();
            throw e;
        }
    }

    public HostTokens tokens() {
        return tokens;
    }

    public AuditFeature audit() {
        return audit;
    }

    public Database database() {
        return database;
    }

    @Override
    public void close() {
        database.close();
    }
}
