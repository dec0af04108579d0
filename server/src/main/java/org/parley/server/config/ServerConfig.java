// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

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
        Audit audit) {

    /**
     * The configuration without an {@code audit} section: the audit defaults apply. Kept so that code
     * building a config by hand (tests, benchmarks) need not know every section.
     */
    public ServerConfig(Http http, Storage storage, Verification verification, Directory directory, LookupLog lookupLog,
                        Messages messages, Delivery delivery) {
        this(http, storage, verification, directory, lookupLog, messages, delivery, Audit.DEFAULTS);
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

    public record Storage(String backend, String sqliteSynchronous) {}

    public enum SenderKind { AUTO, DEV, COMMAND }

    public record Verification(SenderKind sender, String command, Duration codeTtl, int maxAttempts,
                               int maxSessionsPerHour) {}

    public record Directory(int maxDistinctHandlesPerDay) {}

    public record LookupLog(LookupLogMode mode, Duration retention, Duration purgeInterval) {}

    public record Messages(Duration ttl) {}

    public record Delivery(int maxInFlight) {}

    /**
     * The operator audit log. {@code retention} is how long entries are kept before the audit purge
     * deletes them (default P2Y, read as 732 days: never shorter than two calendar years).
     */
    public record Audit(Duration retention) {
        public static final Audit DEFAULTS = new Audit(Duration.ofDays(732));
    }

    /** A copy with a different data directory, host or port: what the command-line flags override. */
    public ServerConfig withHttp(String host, Integer port, Path dataDir) {
        return new ServerConfig(new Http(
                host != null ? host : http.host(),
                port != null ? port : http.port(),
                dataDir != null ? dataDir : http.dataDir(),
                http.tlsCertificate(), http.tlsPrivateKey(), http.trustedProxies()),
                storage, verification, directory, lookupLog, messages, delivery, audit);
    }

    /** A copy with a different lookup-log policy, for operators' tests and for benchmarks. */
    public ServerConfig withLookupLog(LookupLog log) {
        return new ServerConfig(http, storage, verification, directory, log, messages, delivery, audit);
    }

    /** A copy with a different audit policy. */
    public ServerConfig withAudit(Audit newAudit) {
        return new ServerConfig(http, storage, verification, directory, lookupLog, messages, delivery, newAudit);
    }
}
