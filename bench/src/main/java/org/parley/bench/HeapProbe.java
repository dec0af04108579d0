// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The server's JVM heap in use, by the first way that works: the server's own JVM when it runs in this
 * process; {@code jvm_memory_used_bytes{area="heap"}} from its Prometheus {@code /metrics} when exposed;
 * otherwise {@code jcmd PID GC.heap_info} when the server is a JVM on this machine. With {@code gc} a full
 * collection is requested first ({@code jcmd PID GC.run}), so the figure is live data rather than garbage
 * not yet collected.
 */
final class HeapProbe {
    private static final Pattern USED = Pattern.compile("used (\\d+)K");

    private final BenchTarget target;
    private final Optional<ServerProcess> server;
    private final boolean gc;
    private final Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
    private String method = "none";

    HeapProbe(BenchTarget target, Optional<ServerProcess> server, boolean gc) {
        this.target = target;
        this.server = server;
        this.gc = gc;
    }

    /** How the last figure was obtained: in-process, metrics, jcmd or none. */
    String method() {
        return method;
    }

    OptionalLong heapUsedBytes() {
        if (server.isPresent() && server.get().isSelf()) {
            if (gc) {
                System.gc();
            }
            method = "in-process (includes the load generator)";
            return OptionalLong.of(ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
        }
        if (gc) {
            jcmd("GC.run");
        }
        OptionalLong fromMetrics = fromMetrics();
        if (fromMetrics.isPresent()) {
            method = "metrics";
            return fromMetrics;
        }
        String info = jcmd("GC.heap_info");
        if (info != null) {
            Matcher m = USED.matcher(info);
            if (m.find()) {
                method = "jcmd";
                return OptionalLong.of(Long.parseLong(m.group(1)) * 1024);
            }
        }
        method = "none";
        return OptionalLong.empty();
    }

    private OptionalLong fromMetrics() {
        var heap = new ServerMetrics(target).sum("jvm_memory_used_bytes", line -> line.contains("area=\"heap\""));
        return heap.isPresent() ? OptionalLong.of((long) heap.getAsDouble()) : OptionalLong.empty();
    }

    /** Runs {@code jcmd PID command} against the server and returns its output, or null. */
    private String jcmd(String command) {
        if (server.isEmpty() || server.get().isSelf() || !Files.isExecutable(jcmd)) {
            return null;
        }
        try {
            Process p = new ProcessBuilder(List.of(jcmd.toString(), Long.toString(server.get().pid()), command))
                    .redirectErrorStream(true).start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroy();
                return null;
            }
            return new String(out, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
