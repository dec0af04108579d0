// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.bench;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code parley bench relay}: every pair sends both ways while both devices are online. */
@Command(name = "relay", mixinStandardHelpOptions = true,
        description = "Every pair sends both ways while both devices are online. Reports messages delivered and acked"
                + " per second, send-to-receipt latency (p50/p90/p99/max), errors and loss after a drain. Without"
                + " --rate it saturates (latency then only measures the window, by Little's law).")
final class RelayCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Mixin
    TrafficOptions traffic;

    @Option(names = "--rate", defaultValue = "0", paramLabel = "R",
            description = "Paced mode: R messages per second per pair (both directions together); 0 saturates (default).")
    double rate;

    @Option(names = "--drain-timeout", defaultValue = "30", paramLabel = "S",
            description = "Seconds to wait for messages still in flight after the measurement (default: ${DEFAULT-VALUE}).")
    double drainTimeout;

    @Override
    public Integer call() {
        traffic.check();
        try (BenchTarget target = common.target()) {
            BenchReport report = new BenchReport("relay", target.server().toString());
            common.describe(report);
            traffic.describe(report);
            report.parameter("rate_per_pair", rate);
            try (Prepared prepared = Prepared.relay(common, traffic, target, report)) {
                RelayEngine.Spec spec = spec(common, traffic, rate, drainTimeout);
                RelayRun run;
                try (ResourceMonitor monitor = new ResourceMonitor(common.serverProcess(target))) {
                    Progress.log("running " + describe(spec, traffic.pairs));
                    run = prepared.engine().run(spec, monitor);
                    Map<String, Object> results = run.results(common.duration);
                    if (rate > 0) {
                        results.put("offered_per_second", rate * traffic.pairs);
                    }
                    report.putAll("relay", results);
                    report.putAll("resources", monitor.report(run.ackedInWindow()));
                }
            }
            report.note("acked_per_second counts acks written by receivers during the measurement; latency is from"
                    + " the send's start (its scheduled time in paced mode) to the envelope's arrival.");
            common.finish(report);
        }
        return 0;
    }

    static RelayEngine.Spec spec(CommonOptions common, TrafficOptions traffic, double rate, double drainTimeout) {
        return new RelayEngine.Spec(common.warmupValue(), common.durationValue(), rate, traffic.window,
                Duration.ofMillis(Math.round(drainTimeout * 1000)), traffic.maxMessages);
    }

    static String describe(RelayEngine.Spec spec, int pairs) {
        return (spec.ratePerPair() > 0 ? "paced at " + spec.ratePerPair() * pairs + " msgs/s" : "at saturation")
                + ": " + spec.warmup().toMillis() / 1000.0 + " s warm-up, " + spec.duration().toMillis() / 1000.0 + " s measured";
    }

    /** Registered devices with sessions and open WebSockets, ready to run. */
    record Prepared(List<SimDevice> devices, RelayEngine engine) implements AutoCloseable {
        static Prepared relay(CommonOptions common, TrafficOptions traffic, BenchTarget target, BenchReport report) {
            DeviceRegistrar registrar = new DeviceRegistrar(target);
            long t0 = System.nanoTime();
            List<SimDevice> devices = Progress.timed("registering " + 2 * traffic.pairs + " devices",
                    () -> registrar.register(2 * traffic.pairs, "d", true, common.registerConcurrency));
            long t1 = System.nanoTime();
            RelayEngine engine = Progress.timed("setting up sessions and WebSockets",
                    () -> RelayEngine.prepare(target, devices, traffic.crypto, traffic.size, traffic.transport,
                            traffic.frameFormat(), traffic.sealed));
            long t2 = System.nanoTime();
            report.put("setup", "run_id", registrar.run());
            report.put("setup", "devices", devices.size());
            report.put("setup", "registration_seconds", ResourceMonitor.round((t1 - t0) / 1e9, 2));
            report.put("setup", "sessions_and_sockets_seconds", ResourceMonitor.round((t2 - t1) / 1e9, 2));
            report.putAll("setup", engine.setup());
            return new Prepared(devices, engine);
        }

        @Override
        public void close() {
            engine.close();
        }
    }
}
