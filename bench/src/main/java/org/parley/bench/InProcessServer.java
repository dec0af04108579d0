// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.bench;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Comparator;
import java.util.stream.Stream;
import org.parley.server.ParleyServer;
import org.parley.server.config.ConfigLoader;
import org.parley.server.config.LookupLogMode;
import org.parley.server.config.ServerConfig;

/**
 * A Parley server started inside the tool, on a random loopback port with a temporary data directory
 * and the default configuration except the lookup-log mode. The tool cannot change a running server's
 * configuration, so {@code lookup --compare-log-modes} starts one of these per mode.
 */
final class InProcessServer implements AutoCloseable {
    private final ParleyServer server;
    private final Path dataDir;

    private InProcessServer(ParleyServer server, Path dataDir) {
        this.server = server;
        this.dataDir = dataDir;
    }

    static InProcessServer start(LookupLogMode mode) {
        ServerConfig defaults = ConfigLoader.load(null, BENCH_LIMITS);
        return start(defaults.withLookupLog(new ServerConfig.LookupLog(
                mode, defaults.lookupLog().retention(), defaults.lookupLog().purgeInterval())));
    }

    /** With the defaults and the given {@code PARLEY_*} settings, e.g. a larger lookup quota. */
    static InProcessServer start(java.util.Map<String, String> env) {
        java.util.Map<String, String> all = new java.util.HashMap<>(BENCH_LIMITS);
        all.putAll(env);
        return start(ConfigLoader.load(null, all));
    }

    // The sealed-sender limits (per recipient, per client address: here every sender is one address)
    // would cap a sealed relay run far below what the server can do; a benchmark measures the server.
    private static final java.util.Map<String, String> BENCH_LIMITS = java.util.Map.of(
            "PARLEY_SEALED_SENDER_MAX_PER_RECIPIENT_PER_MINUTE", "1000000",
            "PARLEY_SEALED_SENDER_MAX_PER_IP_PER_MINUTE", "1000000");

    private static InProcessServer start(ServerConfig base) {
        Path dir;
        try {
            dir = Files.createTempDirectory("parley-bench-");
        } catch (IOException e) {
            throw new BenchException("cannot create a temporary data directory: " + e.getMessage(), e);
        }
        ServerConfig config = base.withHttp("127.0.0.1", 0, dir);
        // The development sender prints every code on the console it is given at start-up; in here that
        // console would be the report's standard output, so it gets a silent one (codes still go to files).
        PrintStream original = System.out;
        System.setOut(new PrintStream(OutputStream.nullOutputStream()));
        try {
            return new InProcessServer(ParleyServer.start(config, Clock.systemUTC()), dir);
        } finally {
            System.setOut(original);
        }
    }

    String url() {
        return server.uri().toString();
    }

    Path dataDir() {
        return dataDir;
    }

    @Override
    public void close() {
        server.close();
        try (Stream<Path> files = Files.walk(dataDir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            Progress.log("could not delete " + dataDir + ": " + e.getMessage());
        }
    }
}
