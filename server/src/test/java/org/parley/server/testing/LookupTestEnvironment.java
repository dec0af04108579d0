// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.testing;

import org.parley.testing.TestClock;
import io.helidon.webserver.WebServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.parley.server.feature.Feature;
import org.parley.server.feature.ServerContext;
import org.parley.server.config.Cidr;
import org.parley.server.config.ConfigLoader;
import org.parley.server.config.LookupLogMode;
import org.parley.server.config.ServerConfig;
import org.parley.server.http.ClientAddresses;
import org.parley.server.storage.Database;
import org.parley.server.storage.PurgeScheduler;
import org.parley.server.ParleyServer;

/**
 * A real SQLite database in a temp directory with the lookup-log and admin schema, a context
 * built from the shipped defaults, and optionally a Helidon server with chosen features' routes
 * and the real error mapping. For the directory, lookup-log and admin tests.
 */
public final class LookupTestEnvironment implements AutoCloseable {
    public static final Instant START = Instant.parse("2026-11-27T10:00:00Z");

    public final TestClock clock = new TestClock(START);
    public final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    public final Database database;
    public final ServerContext ctx;
    private final List<WebServer> servers = new ArrayList<>();

    public LookupTestEnvironment(Path dataDir, UnaryOperator<ServerConfig> configure) {
        this(dataDir, sqliteWithLookupLogSchema(dataDir), configure);
    }

    /** The same on a fresh database of {@code backend}, with the whole schema. */
    public LookupTestEnvironment(Path dataDir, StorageBackend backend, UnaryOperator<ServerConfig> configure) {
        this(dataDir, backend.open(dataDir), configure);
    }

    private LookupTestEnvironment(Path dataDir, Database database, UnaryOperator<ServerConfig> configure) {
        ServerConfig config = configure.apply(ConfigLoader.defaultsOnly().withHttp(null, 0, dataDir));
        this.database = database;
        ctx = new ServerContext(config, database, clock, new SecureRandom(), meters,
                new ClientAddresses(config.http().trustedProxies()), new PurgeScheduler(clock, meters));
    }

    private static Database sqliteWithLookupLogSchema(Path dataDir) {
        Database database = Database.openSqlite(dataDir.resolve("t.db"), "NORMAL");
        database.migrate(List.of("/db/sqlite/lookuplog.sql", "/db/sqlite/lookuplog-indexes.sql", "/db/sqlite/admin.sql", "/db/sqlite/audit.sql",
                "/db/sqlite/admin-revocation.sql", "/db/sqlite/holds.sql"));
        return database;
    }

    public LookupTestEnvironment(Path dataDir) {
        this(dataDir, UnaryOperator.identity());
    }

    /** A config with another lookup-log mode and retention. */
    public static UnaryOperator<ServerConfig> lookupLog(LookupLogMode mode, Duration retention) {
        return c -> c.withLookupLog(new ServerConfig.LookupLog(mode, retention, c.lookupLog().purgeInterval()));
    }

    /** A config with another daily distinct-handle quota. */
    public static UnaryOperator<ServerConfig> quota(int perDay) {
        return c -> new ServerConfig(c.http(), c.storage(), c.verification(), new ServerConfig.Directory(perDay),
                c.lookupLog(), c.messages(), c.delivery(), c.audit(), c.legal(), c.redis());
    }

    /** A config trusting the given proxies' X-Forwarded-For. */
    public static UnaryOperator<ServerConfig> trustedProxies(String... cidrs) {
        return c -> {
            var h = c.http();
            List<Cidr> proxies = java.util.Arrays.stream(cidrs).map(Cidr::parse).toList();
            return new ServerConfig(new ServerConfig.Http(h.host(), h.port(), h.dataDir(), h.tlsCertificate(),
                    h.tlsPrivateKey(), proxies), c.storage(), c.verification(), c.directory(), c.lookupLog(),
                    c.messages(), c.delivery(), c.audit(), c.legal(), c.redis());
        };
    }

    /** Starts a server on a free loopback port with {@code features}' routes; returns its base URI. */
    public URI serve(Feature... features) {
        WebServer server = ParleyServer.buildWebServer(ctx.config().withHttp("127.0.0.1", 0, null), List.of(features))
                .start();
        servers.add(server);
        return URI.create("http://127.0.0.1:" + server.port());
    }

    @Override
    public void close() {
        servers.forEach(WebServer::stop);
        ctx.purges().close();
        database.close();
    }
}
