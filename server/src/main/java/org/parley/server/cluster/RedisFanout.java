// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.cluster;

import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.parley.server.config.ServerConfig;
import org.parley.server.delivery.Fanout;
import org.parley.server.http.AuthenticatedDevice;

/**
 * {@link Fanout} over Redis sharded pub/sub: one channel per device ({@code parley:d:<account>.<device>}),
 * SSUBSCRIBEd by the node holding the device's connection and SPUBLISHed to by any node. Sharded
 * channels live on the master owning their slot, so the same code works on a standalone Redis 7
 * and on a Redis Cluster, and the signal load spreads over the cluster's masters.
 *
 * <p>A probe pings Redis every {@value #PROBE_MILLIS} ms. While it fails (or any Redis connection
 * dropped) {@link #pushing()} is false and connections poll their queues. When Redis answers again,
 * the probe subscribes every channel this node needs again (Redis forgot them if it restarted),
 * only then reports push as working, and asks every connection to look at its queue once, which
 * catches what was stored while signals could not flow.
 */
final class RedisFanout implements Fanout, AutoCloseable {
    static final long PROBE_MILLIS = 250;
    private static final String PREFIX = "parley:d:";
    private static final Duration SUBSCRIBE_WAIT = Duration.ofSeconds(1);
    private static final System.Logger LOG = System.getLogger(RedisFanout.class.getName());

    private final RedisLink link;
    /** Channel -> number of local connections listening on it. */
    private final Map<String, Integer> listening = new HashMap<>();
    private volatile Receiver receiver;
    private volatile boolean healthy;
    private volatile boolean resubscribeNeeded = true;
    private volatile boolean closed;
    private volatile Thread probe;

    RedisFanout(ServerConfig.Redis config) {
        this.link = new RedisLink(config, new RedisPubSubAdapter<>() {
            @Override
            public void smessage(String channel, String message) {
                deliver(channel, message);
            }
        }, RedisLink.onDisconnect(this::lost));
    }

    @Override
    public void start(Receiver r) {
        this.receiver = r;
        probeOnce();
        probe = Thread.ofVirtual().name("parley-redis-probe").start(this::probeLoop);
    }

    static String channel(AuthenticatedDevice device) {
        return PREFIX + device.accountId() + "." + device.deviceId();
    }

    private void deliver(String channel, String message) {
        Receiver r = receiver;
        int dot = channel.lastIndexOf('.');
        if (r == null || !channel.startsWith(PREFIX) || dot < PREFIX.length()) {
            return;
        }
        try {
            AuthenticatedDevice device = new AuthenticatedDevice(channel.substring(PREFIX.length(), dot),
                    Integer.parseInt(channel.substring(dot + 1)));
            r.signal(device, message);
        } catch (RuntimeException e) {
            // Runs on Lettuce's event loop: a failure here must not break the subscription.
            LOG.log(System.Logger.Level.WARNING, "handling a delivery signal failed: " + e.getClass().getSimpleName());
        }
    }

    @Override
    public void listen(AuthenticatedDevice device) {
        String ch = channel(device);
        CompletableFuture<Void> subscribed = null;
        synchronized (listening) {
            // Issued under the lock so that one channel's SSUBSCRIBE and SUNSUBSCRIBE reach Redis in order.
            if (listening.merge(ch, 1, Integer::sum) == 1) {
                subscribed = send(ps -> ps.async().ssubscribe(ch).toCompletableFuture());
                subscribed.exceptionally(e -> null);
            }
        }
        // While Redis is down there is nothing to wait for: the connection polls, and the probe
        // subscribes every channel again before push resumes.
        if (subscribed != null && healthy) {
            try {
                subscribed.get(SUBSCRIBE_WAIT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (Exception e) {
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                }
                // Not subscribed: poll until the probe has subscribed everything again.
                lost();
            }
        }
    }

    @Override
    public void unlisten(AuthenticatedDevice device) {
        String ch = channel(device);
        synchronized (listening) {
            Integer left = listening.computeIfPresent(ch, (k, n) -> n > 1 ? n - 1 : null);
            if (left == null) {
                CompletableFuture<Void> f = send(ps -> ps.async().sunsubscribe(ch).toCompletableFuture());
                if (f != null) {
                    f.exceptionally(e -> null);
                }
            }
        }
    }

    @Override
    public void publish(AuthenticatedDevice device, String signal) {
        var commands = link.commands();
        if (commands == null) {
            return;
        }
        try {
            commands.spublish(channel(device), signal).exceptionally(e -> null);
        } catch (RuntimeException e) {
            // Disconnected: the recipient's connection polls (or reads its queue when it connects).
        }
    }

    @Override
    public boolean pushing() {
        return healthy;
    }

    private CompletableFuture<Void> send(java.util.function.Function<StatefulRedisPubSubConnection<String, String>, CompletableFuture<Void>> command) {
        var ps = link.pubsub();
        if (ps == null) {
            return CompletableFuture.failedFuture(new IllegalStateException("not connected"));
        }
        try {
            return command.apply(ps);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** Signals may be lost from now on: connections must poll, and look at their queues now. */
    private void lost() {
        resubscribeNeeded = true;
        boolean was = healthy;
        healthy = false;
        Receiver r = receiver;
        if (was && r != null) {
            r.resync();
        }
    }

    private void probeLoop() {
        while (!closed) {
            try {
                Thread.sleep(PROBE_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
            probeOnce();
        }
    }

    private void probeOnce() {
        if (closed) {
            return;
        }
        if (!link.tryConnect() || !link.ping(RedisLink.COMMAND_TIMEOUT)) {
            if (healthy) {
                LOG.log(System.Logger.Level.WARNING, "Redis unreachable: delivery falls back to polling each connection's queue");
            }
            lost();
            return;
        }
        if (healthy && !resubscribeNeeded) {
            return;
        }
        resubscribeNeeded = false;
        if (!resubscribeAll()) {
            lost();
            return;
        }
        boolean wasDown = !healthy;
        healthy = true;
        if (wasDown) {
            LOG.log(System.Logger.Level.INFO, "Redis reachable: delivery signals flow between nodes");
        }
        Receiver r = receiver;
        if (r != null) {
            r.resync();
        }
    }

    /** SSUBSCRIBEs every channel a local connection listens on; true when all are confirmed. */
    private boolean resubscribeAll() {
        List<CompletableFuture<Void>> pending = new ArrayList<>();
        synchronized (listening) {
            for (String ch : listening.keySet()) {
                // One channel per command: in a cluster, channels of one SSUBSCRIBE must share a slot.
                pending.add(send(ps -> ps.async().ssubscribe(ch).toCompletableFuture()));
            }
        }
        try {
            CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new))
                    .get(RedisLink.COMMAND_TIMEOUT.toMillis() * 2, TimeUnit.MILLISECONDS);
            return true;
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            return false;
        }
    }

    RedisLink link() {
        return link;
    }

    @Override
    public void close() {
        closed = true;
        Thread t = probe;
        if (t != null) {
            t.interrupt();
        }
        link.close();
    }
}
