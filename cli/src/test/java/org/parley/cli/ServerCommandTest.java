// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.client.ParleyClient;
import org.parley.client.ReceiveOptions;
import org.parley.protocol.Json;

/**
 * {@code parley server} as its own process, as an operator starts and stops it (issue 9 items 3, 4,
 * 14 and 17): what it prints when it cannot start, what it leaves on disk then, and what it prints
 * when it stops.
 */
class ServerCommandTest {
    @TempDir
    Path dir;

    /**
     * Item 14: on a port in use the server printed a long SEVERE stack trace before its clear line,
     * and had already created the data directory, the operator token and the signing key.
     */
    @Test
    void server_portInUse_printsOneLineAndCreatesNothing() throws Exception {
        Path data = dir.resolve("data");
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
             ServerProcess server = ServerProcess.start(dir.resolve("logs"), Map.of(),
                     "server", "--port", Integer.toString(taken.getLocalPort()), "--data-dir", data.toString())) {
            int port = taken.getLocalPort();
            assertEquals(Failures.LOCAL_ERROR, server.awaitExit());
            assertEquals(List.of("parley server: cannot listen on 127.0.0.1:" + port + ": port " + port + " is in use by"
                    + " another program (perhaps another Parley server); stop it, or choose another --port (server.port)"),
                    server.errLines());
            assertFalse(Files.exists(data), "nothing is created before the port is ours");
        }
    }

    /**
     * Item 3: a second server on the same data directory started without complaint. Now it is
     * refused with the directory and the PID of the server holding it, while the host commands,
     * meant to run beside the server, still work.
     */
    @Test
    void server_secondOnTheSameDataDirectory_refusedNamingItAndThePid_hostCommandsStillRun() throws Exception {
        Path data = dir.resolve("data");
        try (ServerProcess first = ServerProcess.start(dir.resolve("logs"), Map.of(),
                "server", "--port", "0", "--data-dir", data.toString(), "--json")) {
            first.awaitListening();
            Path real = data.toRealPath();
            try (ServerProcess second = ServerProcess.start(dir.resolve("logs"), Map.of(),
                    "server", "--port", "0", "--data-dir", data.toString())) {
                assertEquals(Failures.LOCAL_ERROR, second.awaitExit());
                assertEquals(List.of("parley server: the data directory " + real + " is in use by another process (PID "
                        + first.pid() + "), a Parley server (lock file " + real.resolve("server.lock") + "); stop that"
                        + " server first, or give this one its own --data-dir (server.data-dir). One data directory"
                        + " serves one server"), second.errLines());
            }
            CliRun created = CliRun.parley("admin", "token", "create", "--data-dir", data.toString(),
                    "--role", "auditor", "--name", "otto");
            assertEquals(0, created.exitCode(), created.err());
            CliRun verified = CliRun.parley("admin", "audit", "verify", "--data-dir", data.toString());
            assertEquals(0, verified.exitCode(), verified.err());
        }
    }

    /** Item 4: {@code PARLEY_LOOKUP_LOG_MDOE=off} started a server that logged every lookup in full. */
    @Test
    void server_misspeltEnvironmentVariable_refusedNamingItAndTheKeyMeant() throws Exception {
        Path data = dir.resolve("data");
        try (ServerProcess server = ServerProcess.start(dir.resolve("logs"), Map.of("PARLEY_LOOKUP_LOG_MDOE", "off"),
                "server", "--port", "0", "--data-dir", data.toString())) {
            assertEquals(Failures.LOCAL_ERROR, server.awaitExit());
            List<String> lines = server.errLines();
            assertEquals(1, lines.size(), server.err());
            assertTrue(lines.getFirst().startsWith("parley server: unknown environment variable PARLEY_LOOKUP_LOG_MDOE"
                    + " (did you mean PARLEY_LOOKUP_LOG_MODE, key lookup-log.mode?)"), lines.getFirst());
            assertFalse(Files.exists(data));
        }
    }

    /** Item 17: stopped with SIGTERM, the server printed nothing at all. */
    @Test
    void server_sigterm_logsOneLineThatItStoppedAndWhatItClosed() throws Exception {
        Path data = dir.resolve("data");
        try (ServerProcess server = ServerProcess.start(dir.resolve("logs"), Map.of(),
                "server", "--port", "0", "--data-dir", data.toString(), "--json")) {
            String url = Json.strict().readTree(server.awaitListening()).get("url").asText();
            String handle = "bob-" + System.nanoTime() + "@example.org";
            ParleyClient bob = ParleyClient.open(dir.resolve("bob"));
            bob.startRegistration(url, handle);
            bob.verify(Files.readString(data.resolve("dev-codes").resolve(handle)).strip());
            Thread receiving = Thread.ofVirtual().start(() -> {
                try {
                    // Short: whether the client notices the server going away is not what this test is about.
                    bob.receive(ReceiveOptions.follow().withTimeout(Duration.ofSeconds(10)), envelope -> { });
                } catch (RuntimeException e) {
                    // The server going away ends the receive; that is the point.
                }
            });
            awaitOpenConnections(url, 1);

            server.terminate();
            receiving.join();
            bob.close();
            List<String> stopped = server.errLines().stream().filter(l -> l.contains("Parley stopped")).toList();
            assertEquals(1, stopped.size(), server.err());
            assertTrue(stopped.getFirst().endsWith(" INFO org.parley.server.ParleyServer: Parley stopped: 1 delivery"
                    + " connection closed, acknowledgements written, database closed"), stopped.getFirst());
        }
    }

    /** Polls the server's own gauge of open delivery WebSockets. */
    private static void awaitOpenConnections(String url, int expected) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        String line = "parley_delivery_connections " + expected + ".0";
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        String metrics = "";
        while (System.nanoTime() < deadline) {
            metrics = http.send(HttpRequest.newBuilder(URI.create(url + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            if (metrics.lines().anyMatch(line::equals)) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("expected " + line + " in /metrics: " + metrics);
    }
}
