// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server;

import io.helidon.common.configurable.Resource;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.spi.ProtocolConfig;
import io.helidon.webserver.websocket.WsConfig;
import io.helidon.webserver.websocket.WsRouting;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.parley.protocol.Limits;
import org.parley.server.cluster.Cluster;
import org.parley.server.config.ConfigException;
import org.parley.server.config.ServerConfig;
import org.parley.server.feature.Feature;
import org.parley.server.feature.ServerContext;
import org.parley.server.http.ClientAddresses;
import org.parley.server.http.ErrorMapping;
import org.parley.server.http.HttpEdge;
import org.parley.server.http.PortReservation;
import org.parley.server.observe.ObserveFeature;
import org.parley.server.storage.DataDirectoryLock;
import org.parley.server.storage.Database;
import org.parley.server.storage.PurgeScheduler;

/**
 * Builds the object graph and runs the server. This is the one class that sees every feature; each
 * feature wires its own insides through its {@code create} factory, so this stays a short list.
 */
public final class ParleyServer implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(ParleyServer.class.getName());

    private final ServerConfig config;
    private final Database database;
    private final PurgeScheduler purges;
    private final List<Feature> features;
    private final WebServer webServer;
    private final Cluster cluster;
    private final DataDirectoryLock lock;
    private final PrometheusMeterRegistry meters;

    private ParleyServer(ServerConfig config, Database database, PurgeScheduler purges, List<Feature> features,
                         WebServer webServer, Cluster cluster, DataDirectoryLock lock, PrometheusMeterRegistry meters) {
        this.cluster = cluster;
        this.lock = lock;
        this.meters = meters;
        this.config = config;
        this.database = database;
        this.purges = purges;
        this.features = features;
        this.webServer = webServer;
    }

    /** Opens the data directory, migrates the schema, wires the features and starts listening. */
    public static ParleyServer start(ServerConfig config, Clock clock) {
        Features.checkConfig(config);
        // Both claims come before anything is written: a port in use, or a data directory another
        // server holds, ends start-up with one line and leaves no file behind.
        PortReservation port = PortReservation.hold(config.http());
        DataDirectoryLock lock = null;
        Database database = null;
        List<Feature> features = new ArrayList<>();
        PurgeScheduler purges = null;
        Cluster cluster = null;
        try {
            lock = DataDirectoryLock.acquire(config.http().dataDir());
            database = ServerDatabase.open(config);
            PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            database.registerMetrics(meters);
            purges = new PurgeScheduler(clock, meters, database);
            ServerContext ctx = new ServerContext(config, database, clock, new SecureRandom(), meters,
                    new ClientAddresses(config.http().trustedProxies()), purges);

            cluster = Cluster.open(config.redis());
            Features wired = Features.wire(ctx, cluster);
            // Redis down leaves the node ready: delivery polls, quotas count per node (degraded, not down).
            Map<String, BooleanSupplier> informational = new LinkedHashMap<>();
            cluster.redisHealth().ifPresent(h -> {
                informational.put("redis", h);
                io.micrometer.core.instrument.Gauge.builder("parley.redis.up", h, up -> up.getAsBoolean() ? 1 : 0)
                        .description("1 while delivery signals flow through Redis, 0 while connections poll").register(meters);
            });
            features.add(ObserveFeature.create(meters, Map.of("database", database::isHealthy), informational));
            features.addAll(wired.all());

            WebServer server = buildWebServer(config, features);
            purges.start(config.lookupLog().purgeInterval());
            port.close();
            server.start();
            if (!server.isRunning()) {
                // Helidon logs the cause and returns instead of throwing; do not claim to be listening.
                throw new ConfigException("cannot listen on " + config.http().host() + ":" + config.http().port()
                        + " (address in use or not available); choose another --port or --host");
            }
            ParleyServer started = new ParleyServer(config, database, purges, List.copyOf(features), server, cluster, lock, meters);
            started.announce();
            return started;
        } catch (RuntimeException e) {
            features.forEach(Feature::close);
            if (cluster != null) {
                cluster.close();
            }
            if (purges != null) {
                purges.close();
            }
            if (database != null) {
                database.close();
            }
            if (lock != null) {
                lock.close();
            }
            port.close();
            throw e;
        }
    }

    /**
     * The web server for {@code features}, with the production limits (body size, WebSocket frames),
     * error mapping and no feature discovery; not started. Test harnesses that wire a subset of the
     * features build theirs here too, so they serve exactly what production serves.
     */
    public static WebServer buildWebServer(ServerConfig config, List<Feature> features) {
        HttpRouting.Builder http = HttpRouting.builder();
        ErrorMapping.register(http);
        HttpEdge.register(http);
        WsRouting.Builder ws = WsRouting.builder();
        List<ProtocolConfig> protocols = new ArrayList<>();
        for (Feature feature : features) {
            feature.routing(http);
            feature.websocket(ws);
            protocols.addAll(feature.protocols());
        }
        WebServerConfig.Builder builder = WebServer.builder()
                .host(config.http().host())
                .port(config.http().port())
                // Feature discovery off: a jar on the class path must not add endpoints silently.
                .featuresDiscoverServices(false)
                .shutdownHook(false)
                .maxPayloadSize(Limits.MAX_BODY_BYTES)
                .directHandlers(ErrorMapping.directHandlers())
                .routing(http)
                .addRouting(ws);
        // The WebSocket settings come from the feature that serves WebSockets (delivery: its frame
        // limit); the transport checks every client frame against RFC 6455 before Helidon reads it.
        WsConfig webSockets = protocols.stream().filter(WsConfig.class::isInstance).map(WsConfig.class::cast)
                .findFirst().orElseGet(() -> WsConfig.builder().build());
        HttpEdge.transport(builder, webSockets);
        protocols.stream().filter(p -> !(p instanceof WsConfig)).forEach(builder::addProtocol);
        if (config.http().tlsEnabled()) {
            builder.tls(tls -> tls
                    .privateKey(keys -> keys.pem(pem -> pem.key(Resource.create(config.http().tlsPrivateKey()))))
                    .privateKeyCertChain(keys -> keys.pem(pem -> pem.certChain(Resource.create(config.http().tlsCertificate())))));
        }
        return builder.build();
    }

    /** States the privacy-relevant settings at start-up, so the operator's console always tells the truth. */
    private void announce() {
        var log = config.lookupLog();
        // The storage backend, never its URL: a JDBC URL may carry a password parameter.
        LOG.log(System.Logger.Level.INFO, "Parley listening on " + uri() + " (data " + config.http().dataDir()
                + ", storage " + config.storage().backend() + ")");
        LOG.log(System.Logger.Level.INFO, "Privacy: lookup-log mode=" + log.mode().wire() + ", retention=" + iso(log.retention())
                + ", purge every " + iso(log.purgeInterval()) + "; undelivered messages kept " + iso(config.messages().ttl())
                + "; audit log kept " + iso(config.audit().retention())
                + "; lookup mode=" + org.parley.server.config.LookupMode.of(config).wire());
        LOG.log(System.Logger.Level.INFO, "Data policy published at " + uri() + "/.well-known/parley/policy(.html)");
        if (config.redis().enabled()) {
            // Never the URIs: they may carry a password.
            LOG.log(System.Logger.Level.INFO, "Several nodes: Redis " + (config.redis().cluster() ? "cluster" : "standalone")
                    + " carries delivery signals and the lookup quota");
        }
        if (!config.http().tlsEnabled() && !config.http().loopbackOnly()) {
            LOG.log(System.Logger.Level.WARNING, "Serving plain HTTP on " + config.http().host()
                    + ", which is not loopback: put Parley behind a TLS-terminating proxy, or set server.tls.certificate and server.tls.private-key");
        }
    }

    /** ISO-8601 as an operator writes it: P30D rather than Duration's PT720H. */
    static String iso(java.time.Duration d) {
        return d.toSeconds() % 86_400 == 0 && d.toNanosPart() == 0 ? "P" + d.toDays() + "D" : d.toString();
    }

    public int port() {
        return webServer.port();
    }

    public URI uri() {
        String scheme = config.http().tlsEnabled() ? "https" : "http";
        String host = config.http().host().contains(":") ? "[" + config.http().host() + "]" : config.http().host();
        return URI.create(scheme + "://" + host + ":" + port());
    }

    public ServerConfig config() {
        return config;
    }

    /** Runs every purger now; for operators' tooling and tests. */
    public long purgeNow() {
        return purges.runOnce();
    }

    public Database database() {
        return database;
    }

    public boolean isRunning() {
        return webServer.isRunning();
    }

    /** Stops listening, closes the delivery connections (their acks written first) and the database; logs one line. */
    @Override
    public void close() {
        long connections = openConnections();
        webServer.stop();
        purges.close();
        features.forEach(Feature::close);
        cluster.close();
        database.close();
        lock.close();
        // Counts only: nothing here may identify anyone.
        LOG.log(System.Logger.Level.INFO, "Parley stopped: " + connections + " delivery connection"
                + (connections == 1 ? "" : "s") + " closed, acknowledgements written, database closed");
    }

    /** Open delivery WebSockets now, from delivery's gauge. */
    private long openConnections() {
        var gauge = meters.find("parley.delivery.connections").gauge();
        return gauge == null ? 0 : Math.round(gauge.value());
    }
}
