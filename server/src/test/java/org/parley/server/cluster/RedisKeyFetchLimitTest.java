// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import org.parley.server.config.ConfigLoader;
import org.parley.server.config.ServerConfig;
import org.parley.server.delivery.Fanout;
import org.parley.server.http.AuthenticatedDevice;
import org.parley.server.keys.KeyFetchLimit;
import org.parley.server.testing.RedisProcess;

/** The shared key-fetch limit on a real Redis, as two nodes see it. */
class RedisKeyFetchLimitTest {
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
        config = new ServerConfig(defaults.http(), defaults.storage(), defaults.verification(), defaults.directory(),
                defaults.lookupLog(), defaults.messages(), defaults.delivery(), defaults.audit(), defaults.legal(),
                new ServerConfig.Redis(List.of(redis.uri()), false, "fetch-limit-test-secret-0123456789abcdef"));
    }

    @AfterEach
    void stop() {
        nodes.forEach(Cluster::close);
        redis.close();
    }

    private KeyFetchLimit node() {
        Cluster c = Cluster.open(config.redis());
        c.fanout().start(new Fanout.Receiver() {
            @Override
            public void signal(AuthenticatedDevice device, String signal) {}

            @Override
            public void resync() {}
        });
        nodes.add(c);
        return c.keyFetchLimit(config, KeyFetchLimit.inMemory());
    }

    @Test
    void concurrentFetchesOnTwoNodesAdmitExactlySixPerPair_thenTheWindowMoves() throws Exception {
        KeyFetchLimit a = node();
        KeyFetchLimit b = node();
        List<Future<Optional<Duration>>> results = new ArrayList<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < 20; i++) {
                KeyFetchLimit via = i % 2 == 0 ? a : b;
                results.add(pool.submit(() -> via.tryAcquire("requester", 1, "target", NOW)));
            }
        }
        int admitted = 0;
        for (Future<Optional<Duration>> r : results) {
            if (r.get().isEmpty()) {
                admitted++;
            } else {
                assertEquals(KeyFetchLimit.WINDOW, r.get().get());
            }
        }
        assertEquals(KeyFetchLimit.MAX_FETCHES, admitted);
        // Another device of the same account is another pair.
        assertTrue(a.tryAcquire("requester", 2, "target", NOW).isEmpty());
        // Once the window has passed, the pair may fetch again.
        assertTrue(b.tryAcquire("requester", 1, "target", NOW.plus(KeyFetchLimit.WINDOW).plusMillis(1)).isEmpty());
    }
}
