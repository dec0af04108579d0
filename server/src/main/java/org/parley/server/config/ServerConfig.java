// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The effective server configuration, validated. Built by {@link ConfigLoader} from the commented
 * defaults in {@code parley.yaml}, an operator file, the environment and command-line flags.
 */
public record ServerConfig(
        Http http,
        Storage storage,
        Verification verification,
        Directory directory,
        LookupLog lookupLog,
        Messages messages,
        Delivery delivery,
        Audit audit,
        Legal legal,
        Redis redis,
        ConfigTree tree) {

    /**
     * Every typed section, with the raw tree of the shipped defaults: for code that builds a config by
     * hand. Features that parse their own section from {@link #tree()} then see their defaults.
     */
    public ServerConfig(Http http, Storage storage, Verification verification, Directory directory, LookupLog lookupLog,
                        Messages messages, Delivery delivery, Audit audit, Legal legal, Redis redis) {
        this(http, storage, verification, directory, lookupLog, messages, delivery, audit, legal, redis,
                ConfigTree.defaults());
    }

    /**
     * The configuration without the {@code audit}, {@code legal} and {@code redis} sections: their defaults apply.
     * Kept so that code building a config by hand (tests, benchmarks) need not know every section.
     */
    public ServerConfig(Http http, Storage storage, Verification verification, Directory directory, LookupLog lookupLog,
                        Messages messages, Delivery delivery) {
        this(http, storage, verification, directory, lookupLog, messages, delivery, Audit.DEFAULTS,
                ConfigLoader.defaultsOnly().legal(), Redis.NONE);
    }

    public record Http(String host, int port, Path dataDir, Path tlsCertificate, Path tlsPrivateKey,
                       List<Cidr> trustedProxies) {
        public boolean tlsEnabled() {
            return tlsCertificate != null;
        }

        /** True when the listen address can only be reached from this machine. */
        public boolean loopbackOnly() {
            return Cidr.isLoopbackHost(host);
        }
    }

    /**
     * Where the data lives: {@code backend} is {@code sqlite} or {@code postgresql}; the other
     * backend's settings are validated defaults and otherwise unused.
     */
    public record Storage(String backend, String sqliteSynchronous, Postgresql postgresql) {
        public static final String SQLITE = "sqlite";
        public static final String POSTGRESQL = "postgresql";

        public boolean usesPostgresql() {
            return POSTGRESQL.equals(backend);
        }
    }

    /**
     * A PostgreSQL database shared by every node. At most one of {@code password} and
     * {@code passwordFile} is set; {@code passwordFile} is read when the pool opens.
     */
    public record Postgresql(String url, String user, String password, Path passwordFile, int poolSize,
                             Duration connectTimeout) {
        /** Never prints the password: configuration objects end up in logs and exception messages. */
        @Override
        public String toString() {
            return "Postgresql[url=" + url + ", user=" + user + ", password=" + (password == null || password.isEmpty() ? "" : "***")
                    + ", passwordFile=" + passwordFile + ", poolSize=" + poolSize + ", connectTimeout=" + connectTimeout + "]";
        }
    }

    public enum SenderKind { AUTO, DEV, COMMAND, SMPP }

    public record Verification(SenderKind sender, String command, Duration codeTtl, int maxAttempts,
                               int maxSessionsPerHour) {}

    public record Directory(int maxDistinctHandlesPerDay) {}

    /**
     * @param writeBehind how far the log's writer may fall behind the answered lookups (a crash can lose
     *                    that window's entries); zero makes every lookup wait for its entry's commit
     */
    public record LookupLog(LookupLogMode mode, Duration retention, Duration purgeInterval, Duration writeBehind) {
        public static final Duration DEFAULT_WRITE_BEHIND = Duration.ofMillis(100);

        public LookupLog(LookupLogMode mode, Duration retention, Duration purgeInterval) {
            this(mode, retention, purgeInterval, DEFAULT_WRITE_BEHIND);
        }
    }

    public record Messages(Duration ttl) {}

    public record Delivery(int maxInFlight) {}

    /**
     * Redis for running several nodes: cross-node delivery signals and shared rate limits. No URIs
     * means a single node without Redis.
     *
     * @param uris      one {@code redis://} URI for a standalone Redis, or the seed nodes of a cluster
     * @param cluster   true for a Redis Cluster
     * @param keySecret HMAC key (same on every node) that turns handles and account ids into Redis keys
     */
    public record Redis(List<String> uris, boolean cluster, String keySecret) {
        /** No Redis: a single node. */
        public static final Redis NONE = new Redis(List.of(), false, "");

        public boolean enabled() {
            return !uris.isEmpty();
        }

        @Override
        public String toString() {
            return "Redis[uris=" + uris.size() + ", cluster=" + cluster + "]";
        }
    }

    /**
     * The operator audit log. {@code retention} is how long entries are kept before the audit purge
     * deletes them (default P2Y, read as 732 days: never shorter than two calendar years).
     */
    public record Audit(Duration retention) {
        public static final Audit DEFAULTS = new Audit(Duration.ofDays(732));
    }

    /**
     * The legal request register: which categories each request type may obtain, hold lengths,
     * whether affected users are told after the non-disclosure date, and report banding (0: exact).
     *
     * <p>{@code categories} maps each request type's name under {@code legal.categories} to the
     * category names listed there, as written: configuration holds plain values and the legal
     * feature parses its own names ({@code LegalMatrix.of}), so that this package imports no feature.
     */
    public record Legal(Map<String, List<String>> categories, Duration holdDuration,
                        Duration holdExtension, boolean giveNotices, int reportBand) {
        public Legal {
            categories = categories.entrySet().stream()
                    .collect(java.util.stream.Collectors.toUnmodifiableMap(Map.Entry::getKey, e -> List.copyOf(e.getValue())));
        }
    }

    /** A copy with a different data directory, host or port: what the command-line flags override. */
    public ServerConfig withHttp(String host, Integer port, Path dataDir) {
        return new ServerConfig(new Http(
                host != null ? host : http.host(),
                port != null ? port : http.port(),
                dataDir != null ? dataDir : http.dataDir(),
                http.tlsCertificate(), http.tlsPrivateKey(), http.trustedProxies()),
                storage, verification, directory, lookupLog, messages, delivery, audit, legal, redis, tree);
    }

    /** A copy with different Redis settings, for multi-node tests. */
    public ServerConfig withRedis(Redis r) {
        return new ServerConfig(http, storage, verification, directory, lookupLog, messages, delivery, audit, legal, r, tree);
    }

    /** A copy with a different lookup-log policy, for operators' tests and for benchmarks. */
    public ServerConfig withLookupLog(LookupLog log) {
        return new ServerConfig(http, storage, verification, directory, log, messages, delivery, audit, legal, redis, tree);
    }

    /** A copy with a different audit policy. */
    public ServerConfig withAudit(Audit newAudit) {
        return new ServerConfig(http, storage, verification, directory, lookupLog, messages, delivery, newAudit, legal, redis, tree);
    }

    /** A copy with a different legal-register policy, for tests. */
    public ServerConfig withLegal(Legal other) {
        return new ServerConfig(http, storage, verification, directory, lookupLog, messages, delivery, audit, other, redis, tree);
    }
}
