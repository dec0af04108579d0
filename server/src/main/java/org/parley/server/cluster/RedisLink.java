// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.cluster;

import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.RedisURI;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.cluster.pubsub.StatefulRedisClusterPubSubConnection;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.pubsub.RedisPubSubListener;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.parley.server.config.ServerConfig;

/**
 * The connections to Redis (standalone or cluster) of one node: one for commands, one for sharded
 * pub/sub. Lettuce reconnects both by itself. On a standalone Redis, commands issued while
 * disconnected fail at once rather than queue up, because every caller has a fallback (polling,
 * the in-memory quota); on a cluster they wait for the connection (see the constructor).
 *
 * <p>The first connection may fail (Redis not up yet): {@link #tryConnect()} is then called again
 * by the health probe until it succeeds, and the node runs degraded meanwhile.
 */
final class RedisLink implements AutoCloseable {
    /** Upper bound of a command's wait; callers are on request paths. */
    static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(2);
    private static final System.Logger LOG = System.getLogger(RedisLink.class.getName());

    private final ClientResources resources;
    private final AbstractRedisClient client;
    private final RedisPubSubListener<String, String> listener;
    private volatile StatefulConnection<String, String> commandConnection;
    private volatile RedisClusterAsyncCommands<String, String> commands;
    private volatile StatefulRedisPubSubConnection<String, String> pubsub;

    RedisLink(ServerConfig.Redis config, RedisPubSubListener<String, String> listener,
              RedisConnectionStateListener stateListener) {
        this.listener = listener;
        // Reconnect quickly and steadily: the default backoff grows to 30 s, and every second
        // without Redis is a second of polling on every connection.
        this.resources = ClientResources.builder()
                .reconnectDelay(Delay.constant(Duration.ofMillis(250)))
                .ioThreadPoolSize(2)
                .computationThreadPoolSize(2)
                .build();
        List<RedisURI> uris = new ArrayList<>();
        for (String u : config.uris()) {
            RedisURI uri = RedisURI.create(u);
            uri.setTimeout(COMMAND_TIMEOUT);
            uris.add(uri);
        }
        TimeoutOptions timeouts = TimeoutOptions.enabled(COMMAND_TIMEOUT);
        if (config.cluster()) {
            RedisClusterClient c = RedisClusterClient.create(resources, uris);
            // A cluster client connects to each master lazily, on the first command for one of its
            // slots: rejecting commands while disconnected would reject that first command. So
            // commands wait for the connection instead, bounded by the command timeout and a
            // queue limit; callers skip Redis altogether while the probe reports it down.
            c.setOptions(ClusterClientOptions.builder()
                    .autoReconnect(true)
                    .disconnectedBehavior(ClientOptions.DisconnectedBehavior.ACCEPT_COMMANDS)
                    .requestQueueSize(10_000)
                    .timeoutOptions(timeouts)
                    .topologyRefreshOptions(ClusterTopologyRefreshOptions.builder()
                            .enablePeriodicRefresh(Duration.ofSeconds(30))
                            .enableAllAdaptiveRefreshTriggers()
                            .build())
                    .build());
            this.client = c;
        } else {
            RedisClient c = RedisClient.create(resources, uris.getFirst());
            c.setOptions(ClientOptions.builder()
                    .autoReconnect(true)
                    .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                    .timeoutOptions(timeouts)
                    .build());
            this.client = c;
        }
        client.addListener(stateListener);
    }

    /** Opens the connections if they are not open; false when Redis cannot be reached now. */
    synchronized boolean tryConnect() {
        if (pubsub != null) {
            return true;
        }
        try {
            if (client instanceof RedisClusterClient c) {
                var conn = c.connect(StringCodec.UTF8);
                StatefulRedisClusterPubSubConnection<String, String> ps = c.connectPubSub(StringCodec.UTF8);
                // Sharded subscriptions live on the nodes owning their slots; their messages must
                // reach the one listener registered here.
                ps.setNodeMessagePropagation(true);
                ps.addListener(listener);
                commandConnection = conn;
                commands = conn.async();
                pubsub = ps;
            } else {
                RedisClient c = (RedisClient) client;
                var conn = c.connect(StringCodec.UTF8);
                StatefulRedisPubSubConnection<String, String> ps = c.connectPubSub(StringCodec.UTF8);
                ps.addListener(listener);
                commandConnection = conn;
                commands = conn.async();
                pubsub = ps;
            }
            return true;
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "Redis not reachable yet: " + e.getClass().getSimpleName());
            StatefulConnection<String, String> half = commandConnection;
            if (half != null) {
                half.closeAsync();
                commandConnection = null;
                commands = null;
            }
            return false;
        }
    }

    /** Async commands, or null before the first connection. */
    RedisClusterAsyncCommands<String, String> commands() {
        return commands;
    }

    /** The pub/sub connection, or null before the first connection. */
    StatefulRedisPubSubConnection<String, String> pubsub() {
        return pubsub;
    }

    /**
     * True when a PING answers on the command connection and on every pub/sub connection (in a
     * cluster, one per master: that is where the sharded subscriptions are).
     */
    boolean ping(Duration timeout) {
        var cmd = commands;
        var ps = pubsub;
        if (cmd == null || ps == null) {
            return false;
        }
        try {
            cmd.ping().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (ps instanceof StatefulRedisClusterPubSubConnection<String, String> cps) {
                for (RedisClusterNode node : cps.getPartitions()) {
                    if (node.is(RedisClusterNode.NodeFlag.UPSTREAM)) {
                        cps.getConnection(node.getNodeId()).async().ping().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
                    }
                }
            } else {
                ps.async().ping().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            }
            return true;
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            return false;
        }
    }

    @Override
    public void close() {
        var ps = pubsub;
        if (ps != null) {
            ps.close();
        }
        var conn = commandConnection;
        if (conn != null) {
            conn.close();
        }
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        resources.shutdown(0, 2, TimeUnit.SECONDS);
    }

    /** A state listener that calls {@code onDisconnect} whenever any Redis connection drops. */
    static RedisConnectionStateListener onDisconnect(Runnable onDisconnect) {
        return new RedisConnectionStateListener() {
            @Override
            public void onRedisDisconnected(io.lettuce.core.RedisChannelHandler<?, ?> connection) {
                onDisconnect.run();
            }

            @Override
            public void onRedisConnected(io.lettuce.core.RedisChannelHandler<?, ?> connection, SocketAddress address) {
                // The probe decides when push is back, after resubscribing.
            }
        };
    }
}
