// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.bench;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Samples the server process, the load generator and the whole machine at the start and end of a
 * measurement window, and the server's resident memory twice a second in between (for its peak). When
 * the server runs inside the tool's own process (tests, {@code --compare-log-modes}) its CPU cannot be
 * told apart from the load generator's, and the report says so.
 */
final class ResourceMonitor implements AutoCloseable {
    private final Optional<ServerProcess> server;
    private final ServerProcess self = ServerProcess.self();
    private final AtomicLong peakRss = new AtomicLong(-1);
    private final Thread sampler;
    private volatile boolean running = true;
    private ServerProcess.ProcSample serverStart;
    private ServerProcess.ProcSample serverEnd;
    private ServerProcess.ProcSample selfStart;
    private ServerProcess.ProcSample selfEnd;
    private long[] machineStart;
    private long[] machineEnd;

    ResourceMonitor(Optional<ServerProcess> server) {
        this.server = server;
        this.sampler = Thread.ofVirtual().name("bench-rss").start(this::sampleRss);
    }

    private void sampleRss() {
        while (running && server.isPresent()) {
            long rss = server.get().sample().rssBytes();
            peakRss.accumulateAndGet(rss, Math::max);
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    void markStart() {
        serverStart = server.map(ServerProcess::sample).orElse(null);
        selfStart = self.sample();
        machineStart = ServerProcess.machineCpu();
    }

    void markEnd() {
        serverEnd = server.map(ServerProcess::sample).orElse(null);
        selfEnd = self.sample();
        machineEnd = ServerProcess.machineCpu();
    }

    /** The resource figures of the window; per-message costs use {@code messages}. */
    Map<String, Object> report(long messages) {
        return report(messages, "message");
    }

    /** The resource figures of the window, with per-unit CPU costs over {@code units} (e.g. lookups). */
    Map<String, Object> report(long units, String unit) {
        long messages = units;
        Map<String, Object> m = new LinkedHashMap<>();
        if (serverStart == null || serverEnd == null || serverStart.cpuNanos() < 0) {
            m.put("server_process", "not sampled (server not on this machine, or not found by its port; try --server-pid)");
        } else {
            boolean inProcess = server.get().isSelf();
            m.put("server_pid", server.get().pid());
            if (inProcess) {
                m.put("server_process", "in the load generator's process: CPU figures include the load generator");
            }
            double cpuSeconds = (serverEnd.cpuNanos() - serverStart.cpuNanos()) / 1e9;
            double wall = (serverEnd.nanoTime() - serverStart.nanoTime()) / 1e9;
            m.put("server_cpu_cores", round(cpuSeconds / wall, 2));
            if (messages > 0) {
                m.put("server_cpu_us_per_" + unit, round(cpuSeconds * 1e6 / messages, 1));
            }
            m.put("server_rss_mb", round(serverEnd.rssBytes() / 1048576.0, 1));
            m.put("server_rss_peak_mb", round(Math.max(peakRss.get(), serverEnd.rssBytes()) / 1048576.0, 1));
            m.put("server_threads", serverEnd.threads());
        }
        if (selfStart != null && selfEnd != null && selfStart.cpuNanos() >= 0) {
            double cpuSeconds = (selfEnd.cpuNanos() - selfStart.cpuNanos()) / 1e9;
            double wall = (selfEnd.nanoTime() - selfStart.nanoTime()) / 1e9;
            m.put("generator_cpu_cores", round(cpuSeconds / wall, 2));
            if (messages > 0) {
                m.put("generator_cpu_us_per_" + unit, round(cpuSeconds * 1e6 / messages, 1));
            }
        }
        if (machineStart != null && machineEnd != null && machineEnd[1] > machineStart[1]) {
            double busy = (double) (machineEnd[0] - machineStart[0]) / (machineEnd[1] - machineStart[1]);
            int cores = Runtime.getRuntime().availableProcessors();
            m.put("machine_busy_percent", round(busy * 100, 1));
            m.put("machine_cores", cores);
            // CPU used by neither the server nor the load generator: other work on a shared machine (and
            // kernel work charged to neither). Well above zero, it makes the run less trustworthy.
            boolean separate = server.isPresent() && !server.get().isSelf();
            if (separate && m.get("server_cpu_cores") instanceof Double serverCores
                    && m.get("generator_cpu_cores") instanceof Double generatorCores) {
                m.put("other_cpu_cores", round(Math.max(0, busy * cores - serverCores - generatorCores), 2));
            }
        }
        return m;
    }

    static double round(double value, int digits) {
        double scale = Math.pow(10, digits);
        return Math.round(value * scale) / scale;
    }

    @Override
    public void close() {
        running = false;
        sampler.interrupt();
    }
}
