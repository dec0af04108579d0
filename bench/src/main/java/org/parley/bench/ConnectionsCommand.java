// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Recorder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code parley bench connections}: idle authenticated delivery WebSockets, opened in steps up to a
 * target. After each step it samples the server's resident memory and heap and reports them per
 * connection, with the handshake latency and failures of the step; the first step with a failed or
 * timed-out handshake is where the server degrades (a slow step is reported separately). The count is capped by the open-file limits of both
 * processes, which the report states.
 */
@Command(name = "connections", mixinStandardHelpOptions = true,
        description = "Opens idle authenticated delivery WebSockets in steps up to --target and reports the server's"
                + " heap and RSS per connection, and the count at which connecting degrades (a handshake that fails"
                + " or times out; steps with a handshake p99 over --max-connect-ms are reported too). Capped by both processes' open-file limits (ulimit -n)."
                + " --duration and --warmup do not apply; --hold keeps the connections open at the end.")
final class ConnectionsCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Option(names = "--target", defaultValue = "1000", paramLabel = "N",
            description = "Connections to open (default: ${DEFAULT-VALUE}).")
    int target;

    @Option(names = "--step", defaultValue = "0", paramLabel = "N",
            description = "Connections per step between samples (default: a tenth of --target).")
    int step;

    @Option(names = "--connect-concurrency", defaultValue = "64", paramLabel = "N",
            description = "Handshakes in progress at once (default: ${DEFAULT-VALUE}).")
    int concurrency;

    @Option(names = "--max-connect-ms", defaultValue = "1000", paramLabel = "MS",
            description = "A step whose handshake p99 exceeds this is reported as slow (default: ${DEFAULT-VALUE}).")
    double maxConnectMs;

    @Option(names = "--hold", defaultValue = "5", paramLabel = "S",
            description = "Seconds to keep every connection open idle at the end (default: ${DEFAULT-VALUE}).")
    double hold;

    @Option(names = "--gc", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Ask the server's JVM for a full GC (jcmd GC.run) before each heap sample (default: on).")
    boolean gc;

    @Override
    public Integer call() {
        if (target < 1 || target > 1_000_000 || step < 0 || concurrency < 1 || hold < 0 || hold > 3600) {
            throw new BenchException("need --target 1..1000000, --step >= 0, --connect-concurrency >= 1, --hold 0..3600");
        }
        try (BenchTarget bench = common.target()) {
            BenchReport report = new BenchReport("connections", bench.server().toString());
            report.parameter("target", target).parameter("connect_concurrency", concurrency).parameter("hold_s", hold);
            Optional<ServerProcess> server = common.serverProcess(bench);
            int capped = capByFileLimits(server, report);
            int stepSize = step > 0 ? step : Math.max(10, capped / 10);
            report.parameter("step", stepSize);

            DeviceRegistrar registrar = new DeviceRegistrar(bench);
            List<SimDevice> devices = Progress.timed("registering " + capped + " devices",
                    () -> registrar.register(capped, "c", false, common.registerConcurrency));
            HeapProbe heap = new HeapProbe(bench, server, gc);
            Sample base = sample(server, heap);
            report.putAll("baseline", base.toMap(0, base));

            List<Receiver> open = new ArrayList<>();
            List<Map<String, Object>> rows = new ArrayList<>();
            Map<String, LongAdder> failureKinds = new ConcurrentHashMap<>();
            LongAdder dropped = new LongAdder();
            Integer degradedAt = null;
            String degradedWhy = null;
            Integer slowAt = null;
            for (int from = 0; from < devices.size(); from += stepSize) {
                List<SimDevice> batch = devices.subList(from, Math.min(devices.size(), from + stepSize));
                Recorder handshake = new Recorder(3);
                int failed = openStep(bench, batch, open, handshake, failureKinds, dropped);
                RelayEngine.sleepUntil(System.nanoTime() + 1_000_000_000L);
                Latency connect = Latency.of(handshake.getIntervalHistogram());
                Sample s = sample(server, heap);
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("connections", open.size());
                row.put("step_failures", failed);
                row.put("connect_p50_ms", connect.p50());
                row.put("connect_p99_ms", connect.p99());
                row.putAll(s.toMap(open.size(), base));
                rows.add(row);
                Progress.log(open.size() + " connections open, " + failed + " failed in this step");
                if (degradedAt == null && failed > 0) {
                    degradedAt = open.size();
                    degradedWhy = failed + " of " + batch.size() + " handshakes failed or timed out";
                }
                if (slowAt == null && connect.p99() > maxConnectMs) {
                    slowAt = open.size();
                }
                if (failed * 2 > batch.size()) {
                    break;
                }
            }
            report.set("steps", rows);
            RelayEngine.sleepUntil(System.nanoTime() + Math.round(hold * 1e9));
            long stillOpen = open.stream().filter(Receiver::isOpen).count();
            Sample end = sample(server, heap);
            Map<String, Object> summary = new LinkedHashMap<>();
            summary.put("opened", open.size());
            summary.put("open_after_hold", stillOpen);
            summary.put("dropped_by_server", dropped.sum());
            summary.putAll(end.toMap((int) stillOpen, base));
            summary.put("heap_method", heap.method());
            summary.put("degraded_at_connections", degradedAt);
            summary.put("degraded_because", degradedWhy);
            summary.put("first_step_with_slow_handshakes", slowAt);
            Map<String, Long> kinds = new TreeMap<>();
            failureKinds.forEach((k, v) -> kinds.put(k, v.sum()));
            summary.put("failure_kinds", kinds.toString());
            if (base.heap() >= 0 && end.heap() >= 0 && stillOpen > 0) {
                double perConnection = (double) (end.heap() - base.heap()) / stillOpen;
                summary.put("projected_heap_for_50000_mb",
                        ResourceMonitor.round((base.heap() + perConnection * 50_000) / 1048576.0, 0));
            }
            report.putAll("summary", summary);
            Progress.log("closing " + open.size() + " connections");
            open.forEach(Receiver::close);
            report.note("per-connection figures are (value now - baseline before any connection) / open connections;"
                    + " heap figures follow a full GC when --gc is on.");
            common.finish(report);
        }
        return 0;
    }

    /** Lowers the target so that neither process runs out of file descriptors; states the limits. */
    private int capByFileLimits(Optional<ServerProcess> server, BenchReport report) {
        ServerProcess self = ServerProcess.self();
        boolean inProcess = server.isPresent() && server.get().isSelf();
        long selfRoom = self.openFilesLimit() - self.openFiles() - 200;
        // The server and the load generator share the limit when they share the process: two fds per connection.
        long room = inProcess ? selfRoom / 2 : selfRoom;
        report.put("limits", "generator_open_files_limit", self.openFilesLimit());
        if (server.isPresent() && !inProcess) {
            long serverLimit = server.get().openFilesLimit();
            report.put("limits", "server_open_files_limit", serverLimit);
            if (serverLimit > 0) {
                room = Math.min(room, serverLimit - server.get().openFiles() - 200);
            }
        } else if (server.isEmpty()) {
            report.put("limits", "server_open_files_limit", "unknown (server not on this machine)");
        }
        int capped = (int) Math.max(1, Math.min(target, room));
        report.put("limits", "connections_possible", capped);
        if (capped < target) {
            String text = "--target " + target + " lowered to " + capped + " by the open-file limits (ulimit -n);"
                    + " raise them to go further";
            report.note(text);
            Progress.log(text);
        }
        return capped;
    }

    private int openStep(BenchTarget bench, List<SimDevice> batch, List<Receiver> open, Recorder handshake,
                         Map<String, LongAdder> failures, LongAdder dropped) {
        Semaphore permits = new Semaphore(concurrency);
        List<CompletableFuture<Receiver>> futures = new ArrayList<>();
        LongAdder failed = new LongAdder();
        Receiver.Handler idle = new Receiver.Handler() {
            @Override
            public void envelope(Receiver r, String guid, long nanos) {}

            @Override
            public void acked(Receiver r, String guid, long nanos) {}

            @Override
            public void failed(Receiver r, String what) {
                dropped.increment();
            }
        };
        for (SimDevice d : batch) {
            permits.acquireUninterruptibly();
            long t0 = System.nanoTime();
            futures.add(Receiver.connect(bench, d, false, idle, Duration.ofSeconds(30)).whenComplete((r, e) -> {
                permits.release();
                if (e == null) {
                    handshake.recordValue((System.nanoTime() - t0) / 1000);
                } else {
                    failed.increment();
                    failures.computeIfAbsent(RelayEngine.rootCause(e).getClass().getSimpleName(), k -> new LongAdder()).increment();
                }
            }));
        }
        for (CompletableFuture<Receiver> f : futures) {
            try {
                open.add(f.join());
            } catch (RuntimeException e) {
                // counted above
            }
        }
        return (int) failed.sum();
    }

    private static Sample sample(Optional<ServerProcess> server, HeapProbe heap) {
        OptionalLong h = heap.heapUsedBytes();
        ServerProcess.ProcSample p = server.map(ServerProcess::sample).orElse(null);
        return new Sample(p == null ? -1 : p.rssBytes(), h.orElse(-1), server.map(ServerProcess::openFiles).orElse(-1),
                p == null ? -1 : p.threads());
    }

    /** The server's memory at one moment; -1 when unknown. */
    private record Sample(long rss, long heap, int openFiles, int threads) {
        Map<String, Object> toMap(int connections, Sample base) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("server_rss_mb", rss < 0 ? null : ResourceMonitor.round(rss / 1048576.0, 1));
            m.put("server_heap_mb", heap < 0 ? null : ResourceMonitor.round(heap / 1048576.0, 1));
            m.put("server_open_files", openFiles < 0 ? null : openFiles);
            m.put("server_threads", threads < 0 ? null : threads);
            if (connections > 0) {
                m.put("rss_per_connection_kb", rss < 0 || base.rss < 0 ? null
                        : ResourceMonitor.round((rss - base.rss) / 1024.0 / connections, 1));
                m.put("heap_per_connection_kb", heap < 0 || base.heap < 0 ? null
                        : ResourceMonitor.round((heap - base.heap) / 1024.0 / connections, 1));
            }
            return m;
        }
    }
}
