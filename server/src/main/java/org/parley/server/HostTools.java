// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.security.SecureRandom;
import java.time.Clock;
import org.parley.server.admin.HostTokens;
import org.parley.server.audit.AuditFeature;
import org.parley.server.config.ServerConfig;
import org.parley.server.http.ClientAddresses;
import org.parley.server.storage.Database;
import org.parley.server.storage.PurgeScheduler;

/**
 * What the host commands need, on the server's own database without a running server: token
 * management and the audit log. SQLite lets this process and a running server share the file
 * (WAL mode, busy timeout), and the server reads tokens from the database on every request, so a
 * token created or revoked here takes effect at once.
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

    /** Opens the database {@code config} names (creating and migrating it as the server would). */
    public static HostTools open(ServerConfig config, Clock clock) {
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
