// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.bench;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Option;

/** Options every scenario takes: where the server is, how long to measure, where to write the JSON. */
final class CommonOptions {
    @Option(names = "--server", defaultValue = "http://127.0.0.1:8080", paramLabel = "URL",
            description = "The server under test (default: ${DEFAULT-VALUE}). Traffic goes to this server only.")
    String server;

    @Option(names = "--data", defaultValue = "./parley-data", paramLabel = "DIR",
            description = "The server's data directory, where its development sender writes verification codes"
                    + " (default: ${DEFAULT-VALUE}).")
    Path data;

    @Option(names = "--duration", defaultValue = "10", paramLabel = "S",
            description = "Seconds measured (default: ${DEFAULT-VALUE}).")
    double duration;

    @Option(names = "--warmup", defaultValue = "3", paramLabel = "S",
            description = "Seconds of the same traffic before the measurement, not counted (default: ${DEFAULT-VALUE}).")
    double warmup;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the report as JSON to FILE.")
    Path json;

    @Option(names = "--server-pid", paramLabel = "PID",
            description = "The server's process id, for CPU and memory sampling; found by its port when the server is on loopback.")
    Long serverPid;

    @Option(names = "--register-concurrency", defaultValue = "32", paramLabel = "N",
            description = "Registrations in parallel during set-up (default: ${DEFAULT-VALUE}).")
    int registerConcurrency;

    BenchTarget target() {
        if (duration <= 0 || duration > 3600 || warmup < 0 || warmup > 3600) {
            throw new BenchException("--duration must be in (0, 3600] and --warmup in [0, 3600] seconds");
        }
        return new BenchTarget(server, data);
    }

    Duration durationValue() {
        return Duration.ofMillis(Math.round(duration * 1000));
    }

    Duration warmupValue() {
        return Duration.ofMillis(Math.round(warmup * 1000));
    }

    Optional<ServerProcess> serverProcess(BenchTarget target) {
        return ServerProcess.locate(target, serverPid);
    }

    /** Adds the shared parameters and the load generator's JVM facts to {@code report}. */
    void describe(BenchReport report) {
        report.parameter("duration_s", duration).parameter("warmup_s", warmup);
        List<String> jvm = ManagementFactory.getRuntimeMXBean().getInputArguments();
        report.parameter("generator_jvm", Runtime.version().toString() + " " + String.join(" ", jvm.stream()
                .filter(a -> a.startsWith("-XX:TieredStopAtLevel") || a.startsWith("-XX:+Use") || a.startsWith("-Xmx"))
                .toList()));
        if (quickCompilerOnly(jvm)) {
            String warning = "the load generator runs with -XX:TieredStopAtLevel=1 (C1 only), which makes it slower;"
                    + " run it with PARLEY_JAVA_OPTS='-XX:TieredStopAtLevel=4 -XX:-UseSerialGC -XX:+UseG1GC'";
            report.note(warning);
            Progress.log("warning: " + warning);
        }
    }

    private static boolean quickCompilerOnly(List<String> jvm) {
        String last = null;
        for (String a : jvm) {
            if (a.startsWith("-XX:TieredStopAtLevel=")) {
                last = a.substring(a.indexOf('=') + 1);
            }
        }
        return "1".equals(last) || "0".equals(last);
    }

    void finish(BenchReport report) {
        report.print(System.out);
        if (json != null) {
            report.writeJson(json);
            Progress.log("JSON report written to " + json);
        }
    }
}
