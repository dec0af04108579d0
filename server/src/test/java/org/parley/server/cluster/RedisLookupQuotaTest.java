// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.server.config.ConfigLoader;
import org.parley.server.config.ServerConfig;
import org.parley.server.delivery.Fanout;
import org.parley.server.directory.LookupQuota;
import org.parley.server.http.AuthenticatedDevice;
import org.parley.server.testing.RedisProcess;

/** The shared lookup quota on a real Redis, as two nodes see it. */
class RedisLookupQuotaTest {
    private static final int MAX = 20;
    private static final Instant NOW = Instant.parse("2026-11-27T12:00:00Z");

    @TempDir
    Path dir;
    private RedisProcess redis;
    private final List<Cluster> nodes = new ArrayList<>();
    private ServerConfig config;

    @BeforeEach
    void start() {
        redis = RedisProcess.start(dir);
        ServerConfig defaults = ConfigLoader.defaultsOnly();
        config = new ServerConfig(defaults.http(), defaults.storage(), defaults.verification(), new ServerConfig.Directory(MAX),
                defaults.lookupLog(), defaults.messages(), defaults.delivery(), defaults.audit(), defaults.legal(),
                new ServerConfig.Redis(List.of(redis.uri()), false, "quota-test-secret-0123456789abcdefghij"));
    }

    @AfterEach
    void stop() {
        nodes.forEach(Cluster::close);
        redis.close();
    }

    private LookupQuota node() {
        Cluster c = Cluster.open(config.redis());
        c.fanout().start(new Fanout.Receiver() {
            @Override
            public void signal(AuthenticatedDevice device, String signal) {}

            @Override
            public void resync() {}
        });
        nodes.add(c);
        return c.lookupQuota(config, LookupQuota.inMemory(MAX, new SecureRandom()));
    }

    @Test
    void concurrentLookupsOnTwoNodesAdmitExactlyTheDailyBudget() throws Exception {
        LookupQuota a = node();
        LookupQuota b = node();
        List<Future<Boolean>> results = new ArrayList<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < 60; i++) {
                LookupQuota via = i % 2 == 0 ? a : b;
                String handle = "+1202555" + String.format("%04d", i);
                results.add(pool.submit(() -> via.tryAcquire("account-1", List.of(handle), NOW)));
            }
        }
        int admitted = 0;
        for (Future<Boolean> r : results) {
            admitted += r.get() ? 1 : 0;
        }
        assertEquals(MAX, admitted);
        // Handles already counted stay free on either node; another account has its own budget.
        assertTrue(b.tryAcquire("account-2", List.of("+12025550000"), NOW));
        assertFalse(a.tryAcquire("account-1", List.of("+12025559999"), NOW));
        assertTrue(a.tryAcquire("account-1", List.of("+12025559999"), NOW.plusSeconds(86_400)), "a new UTC day starts afresh");
    }

    @Test
    void redisHoldsNeitherHandlesNorAccountIds() throws Exception {
        LookupQuota a = node();
        assertTrue(a.tryAcquire("7d1c3a9e-account", List.of("bob@example.org", "+12025550143"), NOW));
        String dump = redisCli("--scan") + redisCli("--no-raw", "eval",
                "local out = {} for _, k in ipairs(redis.call('KEYS', '*')) do for _, m in ipairs(redis.call('SMEMBERS', k)) do table.insert(out, m) end end return out",
                "0");
        assertFalse(dump.isBlank(), "the quota must be in Redis");
        for (String secret : List.of("bob", "example", "2025550143", "7d1c3a9e")) {
            assertFalse(dump.contains(secret), "Redis holds '" + secret + "': " + dump);
        }
    }

    @Test
    void withoutRedisEachNodeFallsBackToItsOwnCount() {
        LookupQuota a = node();
        redis.stop();
        for (int i = 0; i < MAX; i++) {
            assertTrue(a.tryAcquire("account-1", List.of("h" + i + "@example.org"), NOW));
        }
        assertFalse(a.tryAcquire("account-1", List.of("one-more@example.org"), NOW));
    }

    @Test
    void onARedisClusterTheQuotaHoldsForAccountsOnEveryMaster() {
        List<RedisProcess> masters = RedisProcess.cluster(dir.resolve("cluster"));
        try {
            config = config.withRedis(new ServerConfig.Redis(masters.stream().map(RedisProcess::uri).toList(), true,
                    config.redis().keySecret()));
            LookupQuota a = node();
            LookupQuota b = node();
            // Enough accounts that their keys land on all three masters.
            for (int account = 0; account < 12; account++) {
                String id = "account-" + account;
                for (int i = 0; i < MAX; i++) {
                    assertTrue((i % 2 == 0 ? a : b).tryAcquire(id, List.of("h" + i + "@example.org"), NOW));
                }
                assertFalse(b.tryAcquire(id, List.of("over@example.org"), NOW), id);
            }
        } finally {
            masters.forEach(RedisProcess::close);
        }
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
