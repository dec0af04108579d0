// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.cluster;

import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.parley.server.config.ServerConfig;
import org.parley.server.delivery.Fanout;
import org.parley.server.directory.LookupQuota;
import org.parley.server.keys.KeyFetchLimit;
import org.parley.server.sealedsender.MinuteLimit;
import org.parley.server.transparency.PolicyContributor;

/**
 * What a node shares with the other nodes of a deployment, through Redis ({@code redis.*}): the
 * delivery fan-out, the lookup quota, the key-fetch limit and the sealed-send limits. Without {@code redis.uris} it is the single-node
 * arrangement: no fan-out, the in-memory quota.
 */
public final class Cluster implements AutoCloseable {
    private final RedisFanout redis;
    /** {@code redis.key-secret}: the HMAC key of every Redis key that would otherwise name an account or address. */
    private final String keySecret;

    private Cluster(RedisFanout redis, String keySecret) {
        this.redis = redis;
        this.keySecret = keySecret;
    }

    /** Connects to Redis when configured; an unreachable Redis does not stop start-up (degraded mode). */
    public static Cluster open(ServerConfig.Redis config) {
        return config.enabled() ? new Cluster(new RedisFanout(config), config.keySecret()) : singleNode();
    }

    public static Cluster singleNode() {
        return new Cluster(null, null);
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

    /**
     * The shared per-minute limit {@code name} in front of {@code local}, or {@code local} itself on a
     * single node: a {@link MinuteLimit.Sharing} for the sealed-send limits.
     */
    public MinuteLimit minuteLimit(String name, int max, MinuteLimit local) {
        if (redis == null) {
            return local;
        }
        return new RedisMinuteLimit(redis.link(), redis::pushing, keySecret, name, max, local);
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
