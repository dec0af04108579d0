// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.parley.server.config.LookupLogMode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code parley bench lookup}: a storm of capability lookups, single and batched. With
 * {@code --compare-log-modes} the tool starts two servers of its own (lookup log {@code full}, then
 * {@code off}) and reports the ratio, since it cannot change the configuration of a running server.
 */
@Command(name = "lookup", mixinStandardHelpOptions = true,
        description = "A storm of capability lookups (GET /v1/directory/{handle} and batched POST"
                + " /v1/directory/lookup) from --accounts requesters, each keeping --window requests in flight."
                + " Reports lookups/s and latency. --compare-log-modes starts two in-process servers (lookup log"
                + " full, then off; default config otherwise, temporary data directories) instead of using"
                + " --server, and reports the log's cost.")
final class LookupStormCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Option(names = "--accounts", defaultValue = "16", paramLabel = "N",
            description = "Requester accounts (default: ${DEFAULT-VALUE}).")
    int accounts;

    @Option(names = "--window", defaultValue = "4", paramLabel = "W",
            description = "Requests in flight per requester (default: ${DEFAULT-VALUE}).")
    int window;

    @Option(names = "--handles", defaultValue = "200", paramLabel = "N",
            description = "Distinct handles each requester cycles through, at most the server's daily quota (default: ${DEFAULT-VALUE}).")
    int handles;

    @Option(names = "--batch", defaultValue = "20", paramLabel = "N",
            description = "Handles per batch request, 1..100 (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--phases", split = ",", defaultValue = "single,batch", paramLabel = "P,P",
            description = "Phases to run, each with its own warm-up and measurement: single, batch (default: ${DEFAULT-VALUE}).")
    List<String> phases;

    @Option(names = "--compare-log-modes",
            description = "Start two in-process servers, lookup log full and off, and run the storm against each.")
    boolean compare;

    @Option(names = "--private", description = "Compare whole plain lookups (GET /v1/directory/{handle}) with"
            + " private ones (OPRF evaluate, then the bucket) on an in-process server with lookup.mode both and a"
            + " quota large enough for the run; then the bucket size and table build time for --table-sizes handles.")
    boolean privately;

    @Option(names = "--table-sizes", split = ",", defaultValue = "100,1000,10000,100000", paramLabel = "N,N",
            description = "With --private: registered-handle counts for the bucket size and table (rotation) cost"
                    + " figures (default: ${DEFAULT-VALUE}).")
    List<Integer> tableSizes;

    @Override
    public Integer call() {
        if (privately) {
            return comparePrivate();
        }
        List<LookupStorm.Phase> phaseList = new ArrayList<>();
        for (String p : phases) {
            try {
                phaseList.add(LookupStorm.Phase.valueOf(p.strip().toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                throw new BenchException("--phases takes single and/or batch, not '" + p + "'");
            }
        }
        if (accounts < 1 || accounts > 1000 || window < 1 || window > 256 || handles < 1 || handles > 1000
                || batch < 1 || batch > 100 || (phaseList.contains(LookupStorm.Phase.BATCH) && batch > handles)) {
            throw new BenchException("need --accounts 1..1000, --window 1..256, --handles 1..1000 (the daily quota of"
                    + " distinct handles is 1000 by default), --batch 1..100 and at most --handles");
        }
        BenchReport report = new BenchReport("lookup", compare ? "in-process servers" : common.server);
        common.describe(report);
        report.parameter("accounts", accounts).parameter("window", window).parameter("handles", handles)
                .parameter("batch", batch).parameter("compare_log_modes", compare);
        if (compare) {
            Map<LookupLogMode, Map<String, Map<String, Object>>> byMode = new LinkedHashMap<>();
            for (LookupLogMode mode : List.of(LookupLogMode.FULL, LookupLogMode.OFF)) {
                Progress.log("starting an in-process server with lookup-log mode " + mode.wire());
                try (InProcessServer server = InProcessServer.start(mode);
                     BenchTarget target = new BenchTarget(server.url(), server.dataDir())) {
                    byMode.put(mode, storm(target, phaseList, Optional.of(ServerProcess.self()), report, "log_" + mode.wire()));
                }
            }
            for (LookupStorm.Phase phase : phaseList) {
                String key = phase.name().toLowerCase(Locale.ROOT);
                double full = ((Number) byMode.get(LookupLogMode.FULL).get(key).get("lookups_per_second")).doubleValue();
                double off = ((Number) byMode.get(LookupLogMode.OFF).get(key).get("lookups_per_second")).doubleValue();
                report.put("comparison", key + "_full_over_off", off > 0 ? ResourceMonitor.round(full / off, 3) : null);
                report.put("comparison", key + "_log_cost_percent", off > 0 ? ResourceMonitor.round((1 - full / off) * 100, 1) : null);
            }
            report.note("--compare-log-modes: both servers run inside the load generator's JVM (default configuration,"
                    + " temporary data directories), one after the other (full first); CPU figures include the load generator, except"
                    + " log_writer_cpu_us_per_lookup: the CPU of the lookup-log and database writer threads alone.");
        } else {
            try (BenchTarget target = common.target()) {
                storm(target, phaseList, common.serverProcess(target), report, "");
            }
            report.note("the lookup-log mode is whatever the server is configured with; the tool cannot see it."
                    + " Use --compare-log-modes to measure full against off.");
        }
        common.finish(report);
        return 0;
    }

    /** {@code --private}: plain against private whole lookups, then bucket sizes and table cost by handle count. */
    private int comparePrivate() {
        BenchReport report = new BenchReport("lookup", "in-process server (--private)");
        common.describe(report);
        report.parameter("accounts", accounts).parameter("window", window).parameter("handles", handles)
                .parameter("private", true);
        Progress.log("starting an in-process server with lookup.mode both");
        try (InProcessServer server = InProcessServer.start(Map.of("PARLEY_LOOKUP_MODE", "both",
                "PARLEY_DIRECTORY_MAX_DISTINCT_HANDLES_PER_DAY", "10000000"));
             BenchTarget target = new BenchTarget(server.url(), server.dataDir())) {
            DeviceRegistrar registrar = new DeviceRegistrar(target);
            List<SimDevice> requesters = Progress.timed("registering " + accounts + " requester accounts",
                    () -> registrar.register(accounts, "r", false, common.registerConcurrency));
            List<String> list = new ArrayList<>(requesters.stream().map(SimDevice::handle).toList());
            for (int k = 0; list.size() < handles; k++) {
                list.add("nobody-" + registrar.run() + "-" + k + "@example.org");
            }
            PrivateLookupBench bench = new PrivateLookupBench(target, requesters, list, window);
            for (boolean p : List.of(false, true)) {
                String key = p ? "private" : "plain";
                Progress.log("whole lookups, " + key);
                report.putAll(key, bench.run(p, common.warmupValue(), common.durationValue(),
                        Optional.of(ServerProcess.self())));
            }
        }
        for (int n : tableSizes) {
            Progress.log("bucket table for " + n + " handles");
            report.putAll("table_" + n, PrivateTableFigures.measure(n, 64));
        }
        report.note("--private: server and load generator share one JVM, so CPU per lookup includes the client's"
                + " blinding and finalizing. Bytes up: request line, headers and body; bytes down: response bodies."
                + " Table figures: real OPRF evaluations with one key (what a key rotation recomputes), k = 64.");
        common.finish(report);
        return 0;
    }

    private Map<String, Map<String, Object>> storm(BenchTarget target, List<LookupStorm.Phase> phaseList,
                                                   Optional<ServerProcess> server, BenchReport report, String prefix) {
        DeviceRegistrar registrar = new DeviceRegistrar(target);
        List<SimDevice> requesters = Progress.timed("registering " + accounts + " requester accounts",
                () -> registrar.register(accounts, "r", false, common.registerConcurrency));
        LookupStorm storm = new LookupStorm(target, requesters, registrar.run(), handles, batch, window);
        Map<String, Map<String, Object>> results = new LinkedHashMap<>();
        for (LookupStorm.Phase phase : phaseList) {
            String key = phase.name().toLowerCase(Locale.ROOT);
            Progress.log("lookup storm, " + key + (prefix.isEmpty() ? "" : " (" + prefix + ")"));
            Map<String, Object> figures = storm.run(phase, common.warmupValue(), common.durationValue(), server);
            results.put(key, figures);
            report.putAll(prefix.isEmpty() ? key : prefix + "_" + key, figures);
        }
        return results;
    }
}
