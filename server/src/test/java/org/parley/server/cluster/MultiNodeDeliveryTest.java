// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.IntFunction;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.parley.server.testing.PostgresProcess;
import org.parley.server.testing.RedisProcess;

/**
 * Three Parley node processes, one PostgreSQL database, Redis, 200 devices spread over the nodes exchanging
 * opaque payloads while something breaks: a node is SIGKILLed, Redis restarts, PostgreSQL restarts. Every send answered
 * 200 must reach its recipient exactly once after the client's de-duplication by guid. Recovery
 * times are printed (they are measurements, not assertions: the machine is shared).
 */
class MultiNodeDeliveryTest {
    private static final int CLIENTS = 200;
    private static final Duration TRAFFIC = Duration.ofSeconds(16);
    private static final Duration DRAIN = Duration.ofSeconds(90);

    @TempDir
    Path dir;
    private static PostgresProcess postgres;

    @BeforeAll
    static void startPostgres() {
        // Its own instance, not the shared one: one test here restarts it.
        postgres = PostgresProcess.launch();
    }

    @AfterAll
    static void stopPostgres() {
        if (postgres != null) {
            postgres.close();
        }
    }

    /** A fresh PostgreSQL database for this test's nodes, each with a small pool. */
    private static String postgresYaml() {
        String db = postgres.createDatabase();
        return "storage:\n  backend: postgresql\n  postgresql:\n    url: " + postgres.jdbcUrl(db)
                + "\n    user: " + PostgresProcess.USER + "\n    password: " + PostgresProcess.PASSWORD
                + "\n    pool-size: 8\n    connect-timeout: PT5S\n";
    }

    /** Each node its own data directory (operator token, development codes). */
    private IntFunction<Path> dataDirs() {
        return i -> dir.resolve("data" + i);
    }

    @Test
    @Timeout(240)
    void aKilledNodesClientsMoveToAnotherNodeAndNothingIsLost() throws Exception {
        try (RedisProcess redis = RedisProcess.start(dir.resolve("redis"));
             MultiNodeRun run = new MultiNodeRun(dir, postgresYaml(), List.of(redis.uri()), false)) {
            run.startNodes(dataDirs());
            run.registerClients(CLIENTS, dir.resolve("data0"));
            traffic(run, () -> killNodeAndMeasure(run, 1));
            assertNothingLost(run, "node kill");
        }
    }

    @Test
    @Timeout(240)
    void redisStoppedAndRestartedMidRunLosesNothingAndPushResumes() throws Exception {
        try (RedisProcess redis = RedisProcess.start(dir.resolve("redis"));
             MultiNodeRun run = new MultiNodeRun(dir, postgresYaml(), List.of(redis.uri()), false)) {
            run.startNodes(dataDirs());
            run.registerClients(CLIENTS, dir.resolve("data0"));
            traffic(run, () -> {
                redis.stop();
                awaitRedisState(run, "DOWN", Duration.ofSeconds(30));
                long downSince = System.nanoTime();
                sleep(3000);
                redis.restart();
                long restarted = System.nanoTime();
                awaitRedisState(run, "UP", Duration.ofSeconds(60));
                System.out.printf("[multi-node] Redis down %d ms; push resumed on every node %d ms after Redis restarted%n",
                        (restarted - downSince) / 1_000_000, (System.nanoTime() - restarted) / 1_000_000);
            });
            assertNothingLost(run, "Redis restart");
        }
    }

    @Test
    @Timeout(240)
    void postgresqlRestartedMidRunLosesNoSendAnswered200() throws Exception {
        try (RedisProcess redis = RedisProcess.start(dir.resolve("redis"));
             MultiNodeRun run = new MultiNodeRun(dir, postgresYaml(), List.of(redis.uri()), false)) {
            run.startNodes(dataDirs());
            run.registerClients(CLIENTS, dir.resolve("data0"));
            traffic(run, () -> {
                int acceptedBefore = run.accepted.size();
                postgres.stopServer();
                long stopped = System.nanoTime();
                sleep(3000);
                postgres.startServer();
                long restarted = System.nanoTime();
                // Recovered when sends are answered 200 again.
                while (run.accepted.size() <= acceptedBefore + 10 && System.nanoTime() - restarted < Duration.ofSeconds(60).toNanos()) {
                    sleep(50);
                }
                System.out.printf("[multi-node] PostgreSQL down %d ms; sends answered 200 again %d ms after it restarted"
                                + " (%d sends failed meanwhile)%n", (restarted - stopped) / 1_000_000,
                        (System.nanoTime() - restarted) / 1_000_000, run.failedSends.get());
            });
            assertNothingLost(run, "PostgreSQL restart");
        }
    }

    @Test
    @Timeout(240)
    void aRedisClusterOfThreeMastersCarriesTheSignals() throws Exception {
        List<RedisProcess> cluster = RedisProcess.cluster(dir.resolve("redis-cluster"));
        try (MultiNodeRun run = new MultiNodeRun(dir, postgresYaml(), cluster.stream().map(RedisProcess::uri).toList(), true)) {
            run.startNodes(dataDirs());
            awaitRedisState(run, "UP", Duration.ofSeconds(30));
            run.registerClients(CLIENTS, dir.resolve("data0"));
            traffic(run, () -> killNodeAndMeasure(run, 2));
            assertNothingLost(run, "node kill on a Redis Cluster");
        } finally {
            cluster.forEach(RedisProcess::close);
        }
    }

    /**
     * Every client sends to random others; {@code midRun} runs once the traffic is in a steady state
     * (at least a third of {@link #TRAFFIC} and more than 50 sends answered, however slow the machine
     * is), and the traffic goes on for another third of {@link #TRAFFIC} after it.
     */
    private void traffic(MultiNodeRun run, ThrowingRunnable midRun) throws Exception {
        AtomicBoolean stop = new AtomicBoolean();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (SimClient from : run.clients) {
                pool.submit(() -> {
                    ThreadLocalRandom random = ThreadLocalRandom.current();
                    while (!stop.get()) {
                        sleep(1500 + random.nextInt(2500));
                        SimClient to = run.clients.get(random.nextInt(run.clients.size()));
                        if (to != from) {
                            run.send(from, to);
                        }
                    }
                    return null;
                });
            }
            try {
                sleep(TRAFFIC.toMillis() / 3);
                long breaking = awaitSteadyState(run, Duration.ofSeconds(90));
                assertPushed(run, breaking);
                midRun.run();
                sleep(TRAFFIC.toMillis() / 3);
            } finally {
                stop.set(true);
            }
        }
    }

    /**
     * Waits until more than 50 sends were answered and the median of those is delivered (or 5 s
     * passed since, enough for {@link #assertPushed} to judge); returns the time that splits them off.
     */
    private static long awaitSteadyState(MultiNodeRun run, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        long mark = System.nanoTime();
        while (run.latenciesMillis(mark).length <= 50 && System.nanoTime() < deadline) {
            sleep(100);
            mark = System.nanoTime();
        }
        long judged = Math.min(deadline, System.nanoTime() + Duration.ofSeconds(5).toNanos());
        while (System.nanoTime() < judged) {
            long[] ms = run.latenciesMillis(mark);
            if (ms.length > 0 && ms[ms.length / 2] != Long.MAX_VALUE) {
                break;
            }
            sleep(100);
        }
        return mark;
    }

    /**
     * SIGKILLs node {@code victim}, then keeps sending to each of its former clients until each has
     * received something on another node; prints the time that took for the last of them.
     */
    private static void killNodeAndMeasure(MultiNodeRun run, int victim) throws Exception {
        List<SimClient> orphans = run.clients.stream().filter(c -> c.node() == victim).toList();
        SimClient prober = run.clients.stream().filter(c -> c.node() != victim).findFirst().orElseThrow();
        run.kill(victim);
        long killed = System.nanoTime();
        long deadline = killed + Duration.ofSeconds(60).toNanos();
        List<SimClient> waiting = orphans;
        long[] recovered = new long[orphans.size()];
        while (!waiting.isEmpty() && System.nanoTime() < deadline) {
            try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
                for (SimClient o : waiting) {
                    pool.submit(() -> run.send(prober, o));
                }
            }
            sleep(250);
            waiting = waiting.stream().filter(o -> o.lastEnvelopeNanos() <= killed || o.node() == victim).toList();
        }
        assertTrue(waiting.isEmpty(), waiting.size() + " clients of the killed node never received on another node");
        long last = orphans.stream().mapToLong(SimClient::lastEnvelopeNanos).max().orElse(killed);
        System.out.printf("[multi-node] node %d killed: its %d clients all received again on other nodes within %d ms%n",
                victim, orphans.size(), (last - killed) / 1_000_000);
    }

    /**
     * Before anything breaks, envelopes must be pushed to the recipient's node, not found by the
     * 30-second keepalive's re-read: the median from answer to delivery is printed and must be far
     * below that (this checks that push works at all; speed is measured by the benchmarks).
     */
    private static void assertPushed(MultiNodeRun run, long beforeNanos) {
        long[] ms = run.latenciesMillis(beforeNanos);
        assertTrue(ms.length > 50, "too few sends before the mid-run event: " + ms.length);
        long p50 = ms[ms.length / 2];
        long p99 = ms[(int) (ms.length * 0.99)];
        System.out.printf("[multi-node] steady state: %d envelopes, answer-to-delivery p50 %d ms, p99 %d ms%n", ms.length, p50, p99);
        assertTrue(p50 < 5_000, "envelopes are not pushed across nodes: median " + p50 + " ms");
    }

    private static void awaitRedisState(MultiNodeRun run, String state, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            boolean all = true;
            for (int i = 0; i < MultiNodeRun.NODES; i++) {
                if (run.node(i) == null) {
                    continue;
                }
                JsonNode ready = run.ready(i);
                all &= ready != null && state.equals(ready.path("checks").path("redis").asText());
            }
            if (all) {
                return;
            }
            sleep(50);
        }
        throw new AssertionError("the nodes did not report redis " + state + " within " + timeout);
    }

    private static void assertNothingLost(MultiNodeRun run, String scenario) {
        long deadline = System.nanoTime() + DRAIN.toNanos();
        while (run.missing() > 0 && System.nanoTime() < deadline) {
            sleep(250);
        }
        System.out.printf("[multi-node] %s: %d envelopes answered 200, %d missing, %d duplicate deliveries before de-duplication,"
                        + " %d delivered from sends never answered 200, %d sends failed%n",
                scenario, run.accepted.size(), run.missing(), run.duplicates(), run.unconfirmed(), run.failedSends.get());
        assertTrue(run.accepted.size() > CLIENTS, "too little traffic to mean anything: " + run.accepted.size());
        assertEquals(0, run.missing(), "envelopes answered 200 but never delivered");
    }

    @FunctionalInterface
    private interface ThrowingRunnable {
        void run() throws Exception;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
