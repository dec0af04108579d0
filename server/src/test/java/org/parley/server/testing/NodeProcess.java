// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * One Parley node in its own JVM ({@link NodeMain} on this test's class path), so that a test can
 * SIGKILL it. Output goes to {@code node.log} next to its configuration.
 */
public final class NodeProcess implements AutoCloseable {
    private final String name;
    private final Process process;
    private final int port;

    private NodeProcess(String name, Process process, int port) {
        this.name = name;
        this.process = process;
        this.port = port;
    }

    /** Starts a node with configuration file {@code config} (YAML) and waits until it listens. */
    public static NodeProcess start(String name, Path config) throws IOException, InterruptedException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Path log = config.resolveSibling(name + ".log");
        // Small heap and the C1 compiler only: three nodes share two cores with the test itself.
        Process p = new ProcessBuilder(List.of(java.toString(), "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"), NodeMain.class.getName(), config.toString()))
                .redirectErrorStream(true).start();
        CompletableFuture<Integer> ready = new CompletableFuture<>();
        Thread.ofPlatform().daemon().name("node-output-" + name).start(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
                 var out = Files.newBufferedWriter(log, StandardCharsets.UTF_8)) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    if (line.startsWith(NodeMain.READY)) {
                        ready.complete(Integer.parseInt(line.substring(NodeMain.READY.length()).strip()));
                    }
                    out.write(line);
                    out.newLine();
                    out.flush();
                }
            } catch (IOException e) {
                // process gone
            } finally {
                ready.completeExceptionally(new IllegalStateException("node " + name + " exited before listening; see " + log));
            }
        });
        try {
            return new NodeProcess(name, p, ready.get(90, TimeUnit.SECONDS));
        } catch (Exception e) {
            p.destroyForcibly();
            throw new IllegalStateException("node " + name + " did not start; see " + log, e);
        }
    }

    public String name() {
        return name;
    }

    public int port() {
        return port;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** SIGKILL: no shutdown hook, no close frames; the kernel resets the node's sockets. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
