// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code parley bench offline-drain}: the recipients are offline while the messages are queued, then
 * they all connect. Reports the store rate, the drain rate and the time until each queue is empty.
 */
@Command(name = "offline-drain", mixinStandardHelpOptions = true,
        description = "Queues --messages for recipients that are offline (the first device of each pair sends to the"
                + " second), then connects every recipient at once. Reports the store rate, the drain rate and the"
                + " time until each queue is empty, then reconnects to check that nothing acked is left. An untimed"
                + " cycle of --warmup-messages runs first; --duration and --warmup do not apply.")
final class OfflineDrainCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Mixin
    TrafficOptions traffic;

    @Option(names = "--messages", defaultValue = "100000", paramLabel = "N",
            description = "Messages queued in all (default: ${DEFAULT-VALUE}).")
    int messages;

    @Option(names = "--warmup-messages", defaultValue = "10000", paramLabel = "N",
            description = "Messages of an untimed store-and-drain cycle first, to warm both JVMs (default: ${DEFAULT-VALUE}).")
    int warmupMessages;

    @Option(names = "--drain-timeout", defaultValue = "300", paramLabel = "S",
            description = "Seconds the drain may take at most (default: ${DEFAULT-VALUE}).")
    double drainTimeout;

    @Override
    public Integer call() {
        traffic.check();
        if (messages < 1 || messages > 10_000_000 || warmupMessages < 0 || warmupMessages > 10_000_000) {
            throw new BenchException("--messages must be 1..10000000 and --warmup-messages 0..10000000");
        }
        try (BenchTarget target = common.target()) {
            BenchReport report = new BenchReport("offline-drain", target.server().toString());
            traffic.describe(report);
            report.parameter("messages", messages).parameter("warmup_messages", warmupMessages);
            DeviceRegistrar registrar = new DeviceRegistrar(target);
            List<SimDevice> devices = Progress.timed("registering " + 2 * traffic.pairs + " devices",
                    () -> registrar.register(2 * traffic.pairs, "d", true, common.registerConcurrency));
            Progress.timed("setting up sessions", () -> {
                PairSessions.establishAll(target, devices);
                return null;
            });
            List<RelayEngine.Flow> flows = flows(target, devices);
            report.put("setup", "run_id", registrar.run());
            report.put("setup", "devices", devices.size());
            report.put("setup", "ciphertext_bytes", flows.getFirst().payloads().ciphertextBytes());
            DrainCycle cycle = new DrainCycle(target, flows, traffic.window, traffic.crypto == CryptoMode.REAL,
                    Duration.ofMillis(Math.round(drainTimeout * 1000)), common.serverProcess(target), traffic.transport,
                    traffic.frameFormat());
            if (warmupMessages > 0) {
                Progress.log("warm-up cycle of " + warmupMessages + " messages");
                cycle.run(warmupMessages);
            }
            Progress.log("measured cycle of " + messages + " messages");
            DrainCycle.Result result = cycle.run(messages);
            report.putAll("store", result.store());
            report.putAll("drain", result.drain());
            report.note("store: every send is answered only after its envelope is committed; the window bounds"
                    + " sends awaiting their 200 per sender. drain: timed from the moment the recipients start"
                    + " connecting; a queue counts as empty when its device has acked every envelope.");
            common.finish(report);
        }
        return 0;
    }

    private List<RelayEngine.Flow> flows(BenchTarget target, List<SimDevice> devices) {
        int pool = (int) Math.max(8, Math.min(256, (64L << 20) / Math.max(1, (long) traffic.pairs * (traffic.size + 300))));
        List<RelayEngine.Flow> flows = new ArrayList<>();
        for (int i = 0; i + 1 < devices.size(); i += 2) {
            SimDevice from = devices.get(i);
            SimDevice to = devices.get(i + 1);
            Payloads payloads = traffic.crypto == CryptoMode.REAL ? Payloads.real(from, to, traffic.size)
                    : Payloads.precomputed(from, to, traffic.size, pool);
            flows.add(RelayEngine.Flow.of(flows.size(), from, to, payloads));
        }
        return flows;
    }

    static Map<String, Object> map(Object... keyValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            m.put((String) keyValues[i], keyValues[i + 1]);
        }
        return m;
    }
}
