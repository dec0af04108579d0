// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.privatelookup;

import io.helidon.webserver.http.HttpRouting;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import org.parley.server.accounts.Accounts;
import org.parley.server.config.ConfigTree;
import org.parley.server.config.LookupMode;
import org.parley.server.config.ServerConfig;
import org.parley.server.directory.LookupQuota;
import org.parley.server.feature.Feature;
import org.parley.server.feature.ServerContext;
import org.parley.server.http.DeviceAuthenticator;
import org.parley.server.lookuplog.BucketFetchLog;
import org.parley.server.storage.Dialect;
import org.parley.server.storage.Purger;
import org.parley.server.transparency.PolicyContributor;

/**
 * The private (OPRF) lookup: the server answers which accounts a handle belongs to without learning
 * the handle (docs/privacy.md). Its OPRF keys and its log of bucket fetches are stored; the bucket
 * tables are computed in memory at start-up and kept current on registration (on PostgreSQL also by a
 * periodic re-read, {@code lookup.private.refresh}, for changes made through other nodes).
 *
 * <p>Routes: {@code GET /v1/private-lookup/config}; device auth: {@code POST /v1/private-lookup/evaluate},
 * {@code GET /v1/private-lookup/buckets/{keyId}/{bits}/{prefix}}.
 */
public final class PrivateLookupFeature implements Feature {
    private final PrivateLookupHandlers handlers;
    private final PrivateLookup lookup;

    private static final System.Logger LOG = System.getLogger(PrivateLookupFeature.class.getName());

    private final Thread refresher;

    private PrivateLookupFeature(PrivateLookupHandlers handlers, PrivateLookup lookup, Duration refreshEvery,
                                 boolean otherNodesWrite) {
        this.handlers = handlers;
        this.lookup = lookup;
        // Only PostgreSQL is shared by several nodes; a SQLite node hears of every change it makes itself.
        this.refresher = otherNodesWrite
                ? Thread.ofVirtual().name("parley-private-lookup-refresh").start(() -> refreshLoop(refreshEvery))
                : null;
    }

    /**
     * Every {@code refreshEvery}, picks up registrations, device changes and deletions made through other
     * nodes, which this node's listeners never see.
     */
    private void refreshLoop(Duration refreshEvery) {
        while (!Thread.currentThread().isInterrupted()) {
            try {
                Thread.sleep(refreshEvery);
                lookup.refresh();
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                // The exception's kind only: its message could quote a handle or an account id.
                LOG.log(System.Logger.Level.WARNING, "private lookup: refreshing the bucket tables failed ("
                        + e.getClass().getSimpleName() + "); next try in " + refreshEvery);
            }
        }
    }

    @Override
    public void close() {
        if (refresher != null) {
            refresher.interrupt();
            try {
                // A refresh in flight finishes its read before the database closes under it.
                refresher.join(Duration.ofSeconds(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * Wires the feature, builds the bucket tables (one OPRF evaluation per registered handle and served key)
     * and registers the key rotation and the log purge with {@code ctx.purges()}.
     *
     * @param quota the directory's daily lookup quota, which evaluations spend too
     */
    public static PrivateLookupFeature create(ServerContext ctx, Accounts accounts, DeviceAuthenticator devices,
                                              LookupQuota quota) {
        ConfigTree t = ctx.config().tree();
        var logConfig = ctx.config().lookupLog();
        PrivateLookupStore store = new JdbcPrivateLookupStore(ctx.database());
        PrivateLookup lookup = new PrivateLookup(accounts, store, quota, ctx.clock(), ctx.random(),
                LookupMode.of(ctx.config()), logConfig.mode(), t.integer("lookup.private.min-bucket", 1, 1_000_000),
                t.duration("lookup.private.key-lifetime"), t.duration("lookup.private.key-overlap"), ctx.meters());
        lookup.start();
        ctx.purges().register(new Purger() {
            @Override
            public String name() {
                return "private-lookup-log";
            }

            @Override
            public long purge(Instant now) {
                return store.deleteLogBefore(now.minus(logConfig.retention()).toEpochMilli(), now.toEpochMilli());
            }

            @Override
            public Set<String> tables() {
                return Set.of("private_lookup_log");
            }
        });
        ctx.purges().register(new Purger() {
            @Override
            public String name() {
                return "oprf-keys";
            }

            @Override
            public long purge(Instant now) {
                return lookup.rotateIfDue(now);
            }

            @Override
            public Set<String> tables() {
                return Set.of("oprf_keys");
            }
        });
        return new PrivateLookupFeature(new PrivateLookupHandlers(devices, ctx.clientAddresses(), lookup), lookup,
                t.duration("lookup.private.refresh"), ctx.database().dialect() == Dialect.POSTGRESQL);
    }

    /**
     * The bucket-fetch log as the lookup log reads it ({@code LookupLogFeature.create}): built before
     * this feature, since the lookup log is wired first. It reads and deletes; only this feature writes.
     */
    public static BucketFetchLog fetchLog(ServerContext ctx) {
        return new JdbcPrivateLookupStore(ctx.database());
    }

    /** To be told the account id after each registration: the account's entries are recomputed. */
    public void accountChanged(String accountId) {
        lookup.accountChanged(accountId);
    }

    @Override
    public void routing(HttpRouting.Builder routing) {
        routing.register("/v1/private-lookup", handlers);
    }

    /**
     * The bucket prefix length the server would choose for these bucket hashes (one per registered handle)
     * so every bucket keeps {@code minBucket} entries: for benchmarks of bucket size against handle count.
     */
    public static int prefixBits(int[] bucketHashes, int minBucket) {
        return BucketTable.prefixBitsFor(bucketHashes, minBucket);
    }

    /** This feature's part of the published policy. */
    public static PolicyContributor policy(ServerConfig config) {
        return new PrivateLookupPolicy(config);
    }
}
