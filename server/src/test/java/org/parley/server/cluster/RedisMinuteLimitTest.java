// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.server.config.ServerConfig;
import org.parley.server.delivery.Fanout;
import org.parley.server.http.AuthenticatedDevice;
import org.parley.server.sealedsender.MinuteLimit;
import org.parley.server.testing.RedisProcess;

/**
 * The sealed-send limits shared through a real Redis, as two nodes see them: they were per node, so
 * a cluster of n nodes admitted n times the published budget per recipient and per address.
 */
class RedisMinuteLimitTest {
    /** 20 seconds into a minute: the refusal says 40 seconds are left. */
    private static final Instant NOW = Instant.parse("2026-11-27T12:00:20Z");
    private static final int MAX = 5;

    @TempDir
    Path dir;
    private RedisProcess redis;
    private final List<Cluster> nodes = new ArrayList<>();

    @BeforeEach
    void start() {
        redis = RedisProcess.start(dir);
    }

    @AfterEach
    void stop() {
        nodes.forEach(Cluster::close);
        redis.close();
    }

    private MinuteLimit node(String name) {
        Cluster c = Cluster.open(new ServerConfig.Redis(List.of(redis.uri()), false,
                "minute-limit-test-secret-0123456789abcdef"));
        c.fanout().start(new Fanout.Receiver() {
            @Override
            public void signal(AuthenticatedDevice device, String signal) {}

            @Override
            public void resync() {}
        });
        nodes.add(c);
        return c.minuteLimit(name, MAX, MinuteLimit.inMemory(MAX));
    }

    @Test
    void tryAcquire_concurrentOnTwoNodes_admitsExactlyTheBudgetPerKeyAndMinute() throws Exception {
        MinuteLimit a = node("recipient");
        MinuteLimit b = node("recipient");
        List<Future<Optional<Duration>>> results = new ArrayList<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < 20; i++) {
                MinuteLimit via = i % 2 == 0 ? a : b;
                results.add(pool.submit(() -> via.tryAcquire("account-1", NOW)));
            }
        }
        int admitted = 0;
        for (Future<Optional<Duration>> r : results) {
            if (r.get().isEmpty()) {
                admitted++;
            } else {
                assertEquals(Duration.ofSeconds(40), r.get().get());
            }
        }
        assertEquals(MAX, admitted);
        // Another recipient, and the same key under another limit, have budgets of their own.
        assertTrue(a.tryAcquire("account-2", NOW).isEmpty());
        assertTrue(node("ip").tryAcquire("account-1", NOW).isEmpty());
        // The next minute starts afresh.
        assertTrue(b.tryAcquire("account-1", NOW.plusSeconds(40)).isEmpty());
    }

    @Test
    void tryAcquire_redisHoldsNeitherAccountIdsNorAddresses() throws Exception {
        assertTrue(node("recipient").tryAcquire("7d1c3a9e-account", NOW).isEmpty());
        assertTrue(node("ip").tryAcquire("203.0.113.9", NOW).isEmpty());
        String keys = redisCli("--scan");
        assertFalse(keys.isBlank(), "the counters must be in Redis");
        for (String secret : List.of("7d1c3a9e", "203.0.113", "recipient", "ip:")) {
            assertFalse(keys.contains(secret), "Redis holds '" + secret + "': " + keys);
        }
    }

    @Test
    void tryAcquire_redisDown_eachNodeFallsBackToItsOwnCount() {
        MinuteLimit a = node("ip");
        redis.stop();
        for (int i = 0; i < MAX; i++) {
            assertTrue(a.tryAcquire("203.0.113.9", NOW).isEmpty());
        }
        assertTrue(a.tryAcquire("203.0.113.9", NOW).isPresent(), "still limited, by this node's count");
    }

    private String redisCli(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(RedisProcess.CLI.toString(), "-p", Integer.toString(redis.port())));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        return out;
    }
}
