// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code parley bench relay-sweep}: the relay scenario paced at several rates in turn, over the same
 * devices and sessions, for a plot of latency percentiles against offered load.
 */
@Command(name = "relay-sweep", mixinStandardHelpOptions = true,
        description = "The relay scenario paced at each rate of --rates in turn (same devices and sessions), reporting"
                + " latency percentiles against offered load; --svg FILE draws them.")
final class RelaySweepCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Mixin
    TrafficOptions traffic;

    @Option(names = "--rates", split = ",", defaultValue = "5,10,20,50,100", paramLabel = "R,R,...",
            description = "Rates per pair to run, in messages per second; 0 adds a saturation run (default: ${DEFAULT-VALUE}).")
    List<Double> rates;

    @Option(names = "--svg", paramLabel = "FILE", description = "Write the latency plot to FILE.")
    Path svg;

    @Option(names = "--drain-timeout", defaultValue = "30", paramLabel = "S",
            description = "Seconds to wait for messages in flight after each rate (default: ${DEFAULT-VALUE}).")
    double drainTimeout;

    @Override
    public Integer call() {
        traffic.check();
        if (rates.isEmpty() || rates.stream().anyMatch(r -> r < 0)) {
            throw new BenchException("--rates must list rates >= 0");
        }
        List<Map<String, Object>> rows = new ArrayList<>();
        try (BenchTarget target = common.target()) {
            BenchReport report = new BenchReport("relay-sweep", target.server().toString());
            common.describe(report);
            traffic.describe(report);
            report.parameter("rates_per_pair", rates);
            try (RelayCommand.Prepared prepared = RelayCommand.Prepared.relay(common, traffic, target, report)) {
                for (double rate : rates) {
                    RelayEngine.Spec spec = RelayCommand.spec(common, traffic, rate, drainTimeout);
                    try (ResourceMonitor monitor = new ResourceMonitor(common.serverProcess(target))) {
                        Progress.log("running " + RelayCommand.describe(spec, traffic.pairs));
                        RelayRun run = prepared.engine().run(spec, monitor);
                        rows.add(row(rate, run.results(common.duration), monitor.report(run.ackedInWindow())));
                    }
                }
            }
            report.set("sweep", rows);
            if (svg != null) {
                writeSvg(rows);
                report.put("plot", "svg", svg.toString());
            }
            common.finish(report);
        }
        return 0;
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> row(double rate, Map<String, Object> results, Map<String, Object> resources) {
        Map<String, Object> latency = (Map<String, Object>) results.get("latency");
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("rate_per_pair", rate);
        row.put("offered_per_second", rate > 0 ? rate * traffic.pairs : null);
        row.put("acked_per_second", results.get("acked_per_second"));
        row.put("p50_ms", latency.get("p50_ms"));
        row.put("p90_ms", latency.get("p90_ms"));
        row.put("p99_ms", latency.get("p99_ms"));
        row.put("max_ms", latency.get("max_ms"));
        row.put("errors", results.get("errors"));
        row.put("lost", results.get("lost"));
        row.put("server_cpu_us_per_message", resources.get("server_cpu_us_per_message"));
        row.put("server_cpu_cores", resources.get("server_cpu_cores"));
        row.put("generator_cpu_cores", resources.get("generator_cpu_cores"));
        return row;
    }

    private void writeSvg(List<Map<String, Object>> rows) {
        // Saturation runs have no offered load; they are plotted at the load they achieved.
        double[] x = new double[rows.size()];
        double[][] y = new double[4][rows.size()];
        String[] keys = {"p50_ms", "p90_ms", "p99_ms", "max_ms"};
        for (int i = 0; i < rows.size(); i++) {
            Map<String, Object> r = rows.get(i);
            Object offered = r.get("offered_per_second");
            x[i] = ((Number) (offered != null ? offered : r.get("acked_per_second"))).doubleValue();
            for (int k = 0; k < keys.length; k++) {
                y[k][i] = ((Number) r.get(keys[k])).doubleValue();
            }
        }
        String title = String.format("parley bench relay: %d pairs, %d B, window %d, crypto %s",
                traffic.pairs, traffic.size, traffic.window, traffic.crypto.wire());
        String chart = SvgPlot.render(title, "offered load (messages/s)", "send-to-receipt latency (ms, log scale)", x,
                List.of(new SvgPlot.Series("p50", "#1f77b4", y[0]), new SvgPlot.Series("p90", "#2ca02c", y[1]),
                        new SvgPlot.Series("p99", "#ff7f0e", y[2]), new SvgPlot.Series("max", "#d62728", y[3])),
                // The p99 targets of issue 5, drawn for comparison.
                List.of(new SvgPlot.Marker(2000, 2, "target p99 2 ms"), new SvgPlot.Marker(10000, 10, "target p99 10 ms")));
        try {
            Path parent = svg.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Files.writeString(svg, chart, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new BenchException("cannot write " + svg + ": " + e.getMessage(), e);
        }
        Progress.log("plot written to " + svg);
    }
}
