// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.protocol.Json;
import org.parley.server.config.LookupLogMode;

/**
 * Runs every scenario of {@code parley bench} for a few seconds with tiny parameters against a real
 * server started in-process on a random port, so the tool cannot rot. No thresholds: each run must
 * complete and report the expected structure; the figures themselves belong in docs/performance.md.
 */
class BenchSmokeTest {
    private static InProcessServer server;

    @TempDir
    Path temp;

    @BeforeAll
    static void startServer() {
        server = InProcessServer.start(LookupLogMode.FULL);
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    private JsonNode bench(String scenario, String... options) throws IOException {
        Path json = temp.resolve(scenario + ".json");
        List<String> args = new ArrayList<>(List.of(scenario, "--server", server.url(), "--data", server.dataDir().toString(),
                "--json", json.toString()));
        args.addAll(List.of(options));
        assertEquals(0, BenchCommand.run(args.toArray(String[]::new)), "parley bench " + scenario + " exit code");
        JsonNode report = Json.lenient().readTree(json.toFile());
        assertEquals(scenario, report.path("scenario").asText());
        return report.path("results");
    }

    private static void assertLatency(JsonNode latency) {
        for (String key : List.of("count", "p50_ms", "p90_ms", "p99_ms", "max_ms")) {
            assertTrue(latency.path(key).isNumber(), "latency." + key + " in " + latency);
        }
        assertTrue(latency.path("p50_ms").asDouble() <= latency.path("max_ms").asDouble(), "p50 <= max in " + latency);
    }

    @Test
    void relay_fourPairsForTwoSeconds_reportsThroughputLatencyErrorsAndLoss() throws IOException {
        JsonNode results = bench("relay", "--pairs", "4", "--duration", "2", "--warmup", "0.5");
        JsonNode relay = results.path("relay");
        assertTrue(relay.path("acked_per_second").asDouble() > 0, "acked_per_second in " + relay);
        assertLatency(relay.path("latency"));
        assertTrue(relay.path("errors").isNumber());
        assertEquals(0, relay.path("lost").asLong(), "nothing answered 200 may be lost: " + relay);
        assertTrue(relay.path("drained").asBoolean(), "drained in " + relay);
        assertTrue(results.path("resources").path("server_cpu_cores").isNumber(), "in-process server found by its port");
    }

    /** The default is {@code --frames batch}; one frame per message must keep working too. */
    @Test
    void relay_binaryFramesWithoutBatches_losesNothing() throws IOException {
        JsonNode relay = bench("relay", "--pairs", "2", "--duration", "1", "--warmup", "0.3", "--frames", "binary")
                .path("relay");
        assertTrue(relay.path("acked").asLong() > 0, "acked in " + relay);
        assertEquals(0, relay.path("lost").asLong(), "lost in " + relay);
        assertEquals(0, relay.path("errors").asLong(), "errors in " + relay);
    }

    @Test
    void relay_realCryptoPaced_decryptsWithoutErrors() throws IOException {
        JsonNode relay = bench("relay", "--pairs", "2", "--duration", "1.5", "--warmup", "0.5", "--crypto", "real",
                "--rate", "40").path("relay");
        assertTrue(relay.path("acked").asLong() > 0, "acked in " + relay);
        assertEquals(0, relay.path("errors").asLong(), "no send or decrypt errors: " + relay);
    }

    @Test
    void relaySweep_twoRates_reportsOneRowPerRateAndWritesSvg() throws IOException {
        Path svg = temp.resolve("plot.svg");
        JsonNode results = bench("relay-sweep", "--pairs", "2", "--rates", "10,40", "--duration", "1", "--warmup", "0.3",
                "--svg", svg.toString());
        assertEquals(2, results.path("sweep").size());
        assertTrue(results.path("sweep").get(1).path("p99_ms").isNumber());
        String text = Files.readString(svg);
        assertTrue(text.startsWith("<svg") && text.contains("polyline") && text.strip().endsWith("</svg>"), text);
    }

    @Test
    void offlineDrain_smallQueue_storesDrainsAndLeavesNothing() throws IOException {
        JsonNode results = bench("offline-drain", "--pairs", "3", "--messages", "300", "--warmup-messages", "30");
        assertEquals(300, results.path("store").path("answered_200").asLong(), "store in " + results);
        assertTrue(results.path("store").path("stored_per_second").asDouble() > 0);
        JsonNode drain = results.path("drain");
        assertTrue(drain.path("complete").asBoolean(), "drain in " + drain);
        assertEquals(300, drain.path("acked").asLong());
        assertEquals(0, drain.path("residual_after_drain").asLong(), "the server holds nothing acked: " + drain);
        assertLatency(drain.path("time_until_queue_empty"));
    }

    @Test
    void lookup_singleAndBatchPhases_reportsLookupsPerSecond() throws IOException {
        JsonNode results = bench("lookup", "--accounts", "2", "--window", "2", "--handles", "20", "--batch", "5",
                "--duration", "1", "--warmup", "0.3");
        for (String phase : List.of("single", "batch")) {
            assertTrue(results.path(phase).path("lookups_per_second").asDouble() > 0, phase + " in " + results);
            assertEquals(0, results.path(phase).path("errors").asLong(), phase + " in " + results);
            assertLatency(results.path(phase).path("latency"));
        }
    }

    @Test
    void lookup_compareLogModes_reportsFullOverOffRatio() throws IOException {
        JsonNode results = bench("lookup", "--compare-log-modes", "--phases", "single", "--accounts", "2", "--window", "2",
                "--handles", "10", "--duration", "1", "--warmup", "0.2");
        assertTrue(results.path("log_full_single").path("lookups_per_second").asDouble() > 0, results.toString());
        assertTrue(results.path("log_off_single").path("lookups_per_second").asDouble() > 0, results.toString());
        assertTrue(results.path("comparison").path("single_full_over_off").isNumber(), results.toString());
        assertTrue(results.path("log_full_single").path("log_writer_cpu_us_per_lookup").isNumber(), results.toString());
    }

    @Test
    void lookup_private_reportsPlainAndPrivateWholeLookupsAndTableFigures() throws IOException {
        JsonNode results = bench("lookup", "--private", "--accounts", "2", "--window", "1", "--handles", "6",
                "--duration", "1", "--warmup", "0.2", "--table-sizes", "50");
        for (String kind : List.of("plain", "private")) {
            assertTrue(results.path(kind).path("lookups_per_second").asDouble() > 0, kind + " in " + results);
            assertEquals(0, results.path(kind).path("errors").asInt(), results.toString());
        }
        assertTrue(results.path("private").path("bytes_down_per_lookup").asDouble() > 0, results.toString());
        assertEquals(0, results.path("table_50").path("prefix_bits").asInt(), "50 handles: one bucket");
    }

    @Test
    void connections_smallTarget_opensAllAndReportsMemoryPerConnection() throws IOException {
        JsonNode results = bench("connections", "--target", "40", "--step", "20", "--hold", "0.5", "--no-gc");
        assertEquals(2, results.path("steps").size(), results.toString());
        JsonNode summary = results.path("summary");
        assertEquals(40, summary.path("opened").asLong(), summary.toString());
        assertEquals(40, summary.path("open_after_hold").asLong(), summary.toString());
        assertTrue(summary.path("server_heap_mb").isNumber(), summary.toString());
        assertTrue(results.path("limits").path("generator_open_files_limit").isNumber());
    }
}
