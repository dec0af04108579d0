// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.testing;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A private redis-server for tests: the Debian binary in a temporary directory on a free loopback
 * port, without persistence, never the machine's own Redis on 6379. It can be stopped and started
 * again on the same port (a Redis outage as a node sees it), and {@link #cluster} builds a Redis
 * Cluster of three masters from three of them.
 */
public final class RedisProcess implements AutoCloseable {
    public static final Path SERVER = Path.of("/usr/bin/redis-server");
    public static final Path CLI = Path.of("/usr/bin/redis-cli");
    private static final Duration START_WAIT = Duration.ofSeconds(20);

    private final Path dir;
    private final int port;
    private final boolean clusterEnabled;
    private Process process;

    private RedisProcess(Path dir, int port, boolean clusterEnabled) {
        this.dir = dir;
        this.port = port;
        this.clusterEnabled = clusterEnabled;
    }

    /** Starts a standalone Redis in {@code dir}. */
    public static RedisProcess start(Path dir) {
        return start(dir, false);
    }

    private static RedisProcess start(Path dir, boolean clusterEnabled) {
        if (!Files.isExecutable(SERVER)) {
            throw new IllegalStateException(SERVER + " is missing: install the Debian package redis-server to run the Redis tests");
        }
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new IllegalStateException("cannot create " + dir, e);
        }
        RedisProcess redis = new RedisProcess(dir, freePort(), clusterEnabled);
        redis.startProcess();
        return redis;
    }

    /** Three masters, slots split by {@code redis-cli --cluster create}, no replicas. */
    public static List<RedisProcess> cluster(Path dir) {
        List<RedisProcess> nodes = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                nodes.add(start(dir.resolve("node" + i), true));
            }
            List<String> command = new ArrayList<>(List.of(CLI.toString(), "--cluster", "create"));
            nodes.forEach(n -> command.add("127.0.0.1:" + n.port()));
            command.addAll(List.of("--cluster-replicas", "0", "--cluster-yes"));
            run(command, dir.resolve("cluster-create.log"));
            for (RedisProcess n : nodes) {
                n.awaitClusterOk();
            }
            return nodes;
        } catch (RuntimeException e) {
            nodes.forEach(RedisProcess::close);
            throw e;
        }
    }

    public int port() {
        return port;
    }

    public String uri() {
        return "redis://127.0.0.1:" + port;
    }

    /** Stops the server at once (SIGKILL): what a crash looks like to clients. */
    public void stop() {
        if (process != null) {
            process.destroyForcibly();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            process = null;
        }
    }

    /** Starts it again on the same port, empty. */
    public void restart() {
        stop();
        startProcess();
    }

    @Override
    public void close() {
        stop();
    }

    private void startProcess() {
        List<String> command = new ArrayList<>(List.of(SERVER.toString(),
                "--port", Integer.toString(port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no", "--dir", dir.toString(),
                "--logfile", dir.resolve("redis.log").toString()));
        if (clusterEnabled) {
            command.addAll(List.of("--cluster-enabled", "yes", "--cluster-config-file", dir.resolve("nodes.conf").toString(),
                    "--cluster-node-timeout", "2000"));
        }
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("stdout.log").toFile()).start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start " + SERVER + ": " + e.getMessage(), e);
        }
        long deadline = System.nanoTime() + START_WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("redis-server exited at start; see " + dir.resolve("redis.log"));
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException e) {
                sleep(50);
            }
        }
        throw new IllegalStateException("redis-server did not listen on " + port + " within " + START_WAIT);
    }

    private void awaitClusterOk() {
        long deadline = System.nanoTime() + START_WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            String info = run(List.of(CLI.toString(), "-p", Integer.toString(port), "cluster", "info"), null);
            if (info.contains("cluster_state:ok")) {
                return;
            }
            sleep(100);
        }
        throw new IllegalStateException("the Redis Cluster did not reach cluster_state:ok");
    }

    private static String run(List<String> command, Path log) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed: " + out);
            }
            if (log != null) {
                Files.writeString(log, out);
            }
            return out;
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + command.getFirst() + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** A free port; in cluster mode port+10000 (the bus port) must be free too. */
    private static int freePort() {
        for (int attempt = 0; attempt < 50; attempt++) {
            try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
                int p = s.getLocalPort();
                if (p == 6379 || p + 10000 > 65535) {
                    continue;
                }
                try (ServerSocket bus = new ServerSocket(p + 10000, 1, java.net.InetAddress.getLoopbackAddress())) {
                    return p;
                } catch (IOException busTaken) {
                    // try another
                }
            } catch (IOException e) {
                throw new IllegalStateException("no free port", e);
            }
        }
        throw new IllegalStateException("no free port pair for redis-server");
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
