// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.cluster;

import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.parley.server.config.ServerConfig;
import org.parley.server.delivery.Fanout;
import org.parley.server.directory.LookupQuota;
import org.parley.server.keys.KeyFetchLimit;
import org.parley.server.transparency.PolicyContributor;

/**
 * What a node shares with the other nodes of a deployment, through Redis ({@code redis.*}): the
 * delivery fan-out and the lookup quota. Without {@code redis.uris} it is the single-node
 * arrangement: no fan-out, the in-memory quota.
 */
public final class Cluster implements AutoCloseable {
    private final RedisFanout redis;

    private Cluster(RedisFanout redis) {
        this.redis = redis;
    }

    /** Connects to Redis when configured; an unreachable Redis does not stop start-up (degraded mode). */
    public static Cluster open(ServerConfig.Redis config) {
        return new Cluster(config.enabled() ? new RedisFanout(config) : null);
    }

    public static Cluster singleNode() {
        return new Cluster(null);
    }

    public Fanout fanout() {
        return redis != null ? redis : Fanout.local();
    }

    /** The shared quota in front of {@code local}, or {@code local} itself on a single node. */
    public LookupQuota lookupQuota(ServerConfig config, LookupQuota local) {
        if (redis == null) {
            return local;
        }
        return new RedisLookupQuota(redis.link(), redis::pushing, config.directory().maxDistinctHandlesPerDay(),
                config.redis().keySecret(), local);
    }

    /** The shared key-fetch limit in front of {@code local}, or {@code local} itself on a single node. */
    public KeyFetchLimit keyFetchLimit(ServerConfig config, KeyFetchLimit local) {
        if (redis == null) {
            return local;
        }
        return new RedisKeyFetchLimit(redis.link(), redis::pushing, config.redis().keySecret(), local);
    }

    /** Redis health for readiness reports, absent on a single node. */
    public Optional<BooleanSupplier> redisHealth() {
        return redis == null ? Optional.empty() : Optional.of(redis::pushing);
    }

    @Override
    public void close() {
        if (redis != null) {
            redis.close();
        }
    }

    /** This feature's part of the published policy: what it stores, for how long, who reads it. */
    public static PolicyContributor policy(ServerConfig.Redis redis) {
        return new ClusterPolicy(redis);
    }
}
