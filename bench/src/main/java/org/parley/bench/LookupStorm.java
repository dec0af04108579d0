// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.bench;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Recorder;
import org.parley.protocol.BatchLookupRequest;
import org.parley.protocol.Json;

/**
 * A storm of capability lookups from several requester accounts, each keeping {@code window} requests
 * in flight. Each account cycles through its own list of {@code handles} distinct handles (the
 * registered requesters plus unknown addresses), so it stays inside the per-account quota of distinct
 * handles per day (repeats are free) while every lookup still writes a lookup-log entry.
 * Requests are built once; the storm only sends them and checks the status.
 */
final class LookupStorm {
    enum Phase { SINGLE, BATCH }

    private final BenchTarget target;
    private final int window;
    /** Per requester: one prepared request (head and body) per handle or batch. */
    private record Prepared(byte[] head, byte[] body) {}

    private final List<List<Prepared>> singles = new ArrayList<>();
    private final List<List<Prepared>> batches = new ArrayList<>();
    private final int batchSize;

    LookupStorm(BenchTarget target, List<SimDevice> requesters, String run, int handles, int batchSize, int window) {
        this.target = target;
        this.window = window;
        this.batchSize = batchSize;
        List<String> known = requesters.stream().map(SimDevice::handle).limit(Math.max(1, handles / 4)).toList();
        Random random = new Random(42);
        for (SimDevice r : requesters) {
            List<String> list = new ArrayList<>(known);
            for (int k = 0; list.size() < handles; k++) {
                list.add("nobody-" + run + "-" + k + "@example.org");
            }
            Collections.shuffle(list, random);
            List<Prepared> single = new ArrayList<>();
            List<Prepared> batch = new ArrayList<>();
            byte[] post = RawHttp.head("POST", "/v1/directory/lookup", r.authorization(), true);
            for (int i = 0; i < list.size(); i++) {
                String path = "/v1/directory/" + URLEncoder.encode(list.get(i), StandardCharsets.UTF_8).replace("+", "%20");
                single.add(new Prepared(RawHttp.head("GET", path, r.authorization(), false), null));
                List<String> group = new ArrayList<>(batchSize);
                for (int j = 0; j < batchSize; j++) {
                    group.add(list.get((i + j) % list.size()));
                }
                batch.add(new Prepared(post, json(new BatchLookupRequest(group))));
            }
            singles.add(single);
            batches.add(batch);
        }
    }

    private static byte[] json(Object value) {
        try {
            return Json.lenient().writeValueAsBytes(value);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Runs one phase: warm-up, then measurement; returns its figures. */
    Map<String, Object> run(Phase phase, Duration warmup, Duration duration, Optional<ServerProcess> server) {
        List<List<Prepared>> requests = phase == Phase.SINGLE ? singles : batches;
        int perRequest = phase == Phase.SINGLE ? 1 : batchSize;
        long start = System.nanoTime();
        long measureStart = start + warmup.toNanos();
        long measureEnd = measureStart + duration.toNanos();
        Recorder latency = new Recorder(3);
        LongAdder requestsDone = new LongAdder();
        Map<String, LongAdder> errors = new ConcurrentHashMap<>();
        List<Thread> workers = new ArrayList<>();
        for (List<Prepared> own : requests) {
            AtomicInteger next = new AtomicInteger();
            for (int w = 0; w < window; w++) {
                workers.add(Thread.ofVirtual().start(() ->
                        work(own, next, measureStart, measureEnd, requestsDone, latency, errors)));
            }
        }
        Map<String, Object> resources;
        boolean inProcess = server.isPresent() && server.get().isSelf();
        long writerCpuStart = 0;
        long writerCpuEnd = 0;
        try (ResourceMonitor monitor = new ResourceMonitor(server)) {
            RelayEngine.sleepUntil(measureStart);
            monitor.markStart();
            writerCpuStart = inProcess ? logWriterCpuNanos() : 0;
            RelayEngine.sleepUntil(measureEnd);
            monitor.markEnd();
            writerCpuEnd = inProcess ? logWriterCpuNanos() : 0;
            for (Thread t : workers) {
                t.join();
            }
            resources = monitor.report(requestsDone.sum() * perRequest, "lookup");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BenchException("interrupted", e);
        }
        double seconds = duration.toNanos() / 1e9;
        Map<String, Long> kinds = new TreeMap<>();
        errors.forEach((k, v) -> kinds.put(k, v.sum()));
        Map<String, Object> m = OfflineDrainCommand.map(
                "handles_per_request", perRequest,
                "in_flight", requests.size() * window,
                "requests_per_second", ResourceMonitor.round(requestsDone.sum() / seconds, 1),
                "lookups_per_second", ResourceMonitor.round(requestsDone.sum() * perRequest / seconds, 1),
                "latency", Latency.of(latency.getIntervalHistogram()).toMap(),
                "errors", kinds.values().stream().mapToLong(Long::longValue).sum(),
                "error_kinds", kinds.toString());
        if (inProcess && requestsDone.sum() > 0) {
            // The log's own cost, apart from the load generator that shares this JVM.
            m.put("log_writer_cpu_us_per_lookup",
                    ResourceMonitor.round((writerCpuEnd - writerCpuStart) / 1e3 / (requestsDone.sum() * perRequest), 1));
        }
        m.put("resources", resources);
        return m;
    }

    /**
     * CPU time so far of the threads that write the lookup log ({@code parley-lookup-log}) and every
     * database write ({@code parley-db-writer}) of the in-process server. Only those threads'
     * current incarnations count: an earlier server's threads are gone once it is closed.
     */
    static long logWriterCpuNanos() {
        java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
        long sum = 0;
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().equals("parley-lookup-log") || t.getName().equals("parley-db-writer")) {
                long cpu = mx.getThreadCpuTime(t.threadId());
                sum += Math.max(0, cpu);
            }
        }
        return sum;
    }

    /** One requester's worker: its own connection, the requester's prepared requests in turn. */
    private void work(List<Prepared> own, AtomicInteger next, long measureStart, long measureEnd, LongAdder done,
                      Recorder latency, Map<String, LongAdder> errors) {
        try (RawHttp http = new RawHttp(target.server())) {
            while (System.nanoTime() < measureEnd) {
                Prepared request = own.get(Math.floorMod(next.getAndIncrement(), own.size()));
                long t0 = System.nanoTime();
                String failure = null;
                try {
                    RawHttp.Response response = http.exchange(request.head(), request.body());
                    if (response.status() != 200) {
                        failure = "HTTP " + response.status();
                    }
                } catch (IOException e) {
                    failure = e.getClass().getSimpleName();
                }
                long t1 = System.nanoTime();
                if (failure != null) {
                    errors.computeIfAbsent(failure, k -> new LongAdder()).increment();
                } else if (t0 >= measureStart && t1 < measureEnd) {
                    done.increment();
                    latency.recordValue((t1 - t0) / 1000);
                }
            }
        }
    }
}
