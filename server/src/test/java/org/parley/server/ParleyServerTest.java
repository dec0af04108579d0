// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Clock;
import java.util.Map;
import java.util.Set;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.protocol.Json;
import org.parley.server.config.ConfigException;
import org.parley.server.config.ConfigLoader;
import org.parley.server.config.ServerConfig;

/** The fully wired server, as {@code parley server} runs it: real SQLite, real HTTP, random port. */
class ParleyServerTest {
    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newHttpClient();

    private ParleyServer start(Map<String, String> env) {
        ServerConfig config = ConfigLoader.load(null, env).withHttp("127.0.0.1", 0, dir.resolve("data"));
        return ParleyServer.start(config, Clock.systemUTC());
    }

    private HttpResponse<String> get(ParleyServer server, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(server.uri().resolve(path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void start_defaults_readyAndDataFilesPrivate() throws Exception {
        try (ParleyServer server = start(Map.of())) {
            HttpResponse<String> ready = get(server, "/health/ready");
            assertEquals(200, ready.statusCode());
            assertEquals("UP", Json.lenient().readTree(ready.body()).path("checks").path("database").asText());
            assertEquals(200, get(server, "/health/live").statusCode());
            Path data = dir.resolve("data");
            assertEquals(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_EXECUTE),
                    Files.getPosixFilePermissions(data));
            assertEquals(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE),
                    Files.getPosixFilePermissions(data.resolve("parley.db")));
            assertEquals(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE),
                    Files.getPosixFilePermissions(data.resolve("admin.token")));
        }
    }

    @Test
    void unknownPath_anyMethod_is404Json() throws Exception {
        try (ParleyServer server = start(Map.of())) {
            HttpResponse<String> res = get(server, "/v1/nothing/here");
            assertEquals(404, res.statusCode());
            JsonNode body = Json.lenient().readTree(res.body());
            assertEquals("not_found", body.path("error").asText());
            assertFalse(body.path("message").asText().isEmpty());
            HttpResponse<String> del = http.send(HttpRequest.newBuilder(server.uri().resolve("/v1/messages/x"))
                    .DELETE().build(), HttpResponse.BodyHandlers.ofString());
            assertTrue(del.statusCode() == 404 || del.statusCode() == 405, "status " + del.statusCode());
            assertEquals("application/json", del.headers().firstValue("content-type").orElse("").split(";")[0]);
        }
    }

    @Test
    void metrics_afterTraffic_carryNoIdentifiers() throws Exception {
        try (ParleyServer server = start(Map.of())) {
            http.send(HttpRequest.newBuilder(server.uri().resolve("/v1/verification/sessions"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"handle\":\"+12025550143\"}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            get(server, "/v1/directory/+12025550143");
            String metrics = get(server, "/metrics").body();
            assertTrue(metrics.contains("parley_http_requests_seconds_count"), metrics);
            assertTrue(metrics.contains("parley_purge_runs_total"), metrics);
            assertTrue(metrics.contains("jvm_memory_used_bytes"), "JVM heap is exported for sizing");
            assertFalse(metrics.contains("2025550143"), "a handle leaked into metrics");
            assertFalse(metrics.contains("127.0.0.1"), "an address leaked into metrics");
        }
    }

    @Test
    void start_devSenderOnPublicAddress_isRefused() {
        ServerConfig config = ConfigLoader.load(null, Map.of("PARLEY_VERIFICATION_SENDER", "dev"))
                .withHttp("0.0.0.0", 0, dir.resolve("data"));
        ConfigException e = assertThrows(ConfigException.class, () -> ParleyServer.start(config, Clock.systemUTC()));
        assertTrue(e.getMessage().contains("loopback"), e.getMessage());
        ServerConfig auto = ConfigLoader.load(null, Map.of()).withHttp("0.0.0.0", 0, dir.resolve("data2"));
        assertThrows(ConfigException.class, () -> ParleyServer.start(auto, Clock.systemUTC()));
    }

    @Test
    void start_portInUse_failsInsteadOfClaimingToListen() throws Exception {
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            ServerConfig config = ConfigLoader.load(null, Map.of()).withHttp("127.0.0.1", taken.getLocalPort(), dir.resolve("data"));
            ConfigException e = assertThrows(ConfigException.class, () -> ParleyServer.start(config, Clock.systemUTC()));
            assertEquals("cannot listen on 127.0.0.1:" + taken.getLocalPort() + ": port " + taken.getLocalPort() + " is in use"
                    + " by another program (perhaps another Parley server); stop it, or choose another --port (server.port)",
                    e.getMessage());
            assertFalse(Files.exists(dir.resolve("data")), "issue 9 item 14: nothing is created before the port is ours");
        }
    }

    /** Issue 9 item 3: a second server on one data directory is refused; the host tools still open it. */
    @Test
    void start_secondServerOnTheSameDataDirectory_isRefused_hostToolsStillOpenIt() throws Exception {
        try (ParleyServer first = start(Map.of())) {
            Path data = dir.resolve("data").toRealPath();
            ConfigException e = assertThrows(ConfigException.class, () -> start(Map.of()));
            assertEquals("the data directory " + data + " is in use by this process (PID " + ProcessHandle.current().pid()
                    + "), a Parley server (lock file " + data.resolve("server.lock") + "); stop that server first, or give"
                    + " this one its own --data-dir (server.data-dir). One data directory serves one server", e.getMessage());
            assertEquals(200, get(first, "/health/ready").statusCode(), "the first server is unharmed");
            try (HostTools host = HostTools.open(first.config(), Clock.systemUTC())) {
                assertEquals(1, host.tokens().list().size());
            }
        }
        try (ParleyServer again = start(Map.of())) {
            assertEquals(200, get(again, "/health/ready").statusCode(), "a stopped server lets the directory go");
        }
    }

    /** Issue 9 item 17: a server stopped (SIGTERM runs close) printed nothing. */
    @Test
    void close_logsOneLineThatItStopped() {
        java.util.logging.Logger logger = java.util.logging.Logger.getLogger(ParleyServer.class.getName());
        java.util.List<String> lines = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.logging.Handler handler = new java.util.logging.Handler() {
            @Override
            public void publish(java.util.logging.LogRecord record) {
                lines.add(record.getMessage());
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        logger.addHandler(handler);
        try {
            start(Map.of()).close();
        } finally {
            logger.removeHandler(handler);
        }
        assertEquals(java.util.List.of("Parley stopped: 0 delivery connections closed, acknowledgements written, database closed"),
                lines.stream().filter(l -> l.startsWith("Parley stopped")).toList());
    }

    @Test
    void start_withPemCertificate_servesHttps() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/openssl")), "openssl is needed to make a test certificate");
        Path key = dir.resolve("key.pem");
        Path cert = dir.resolve("cert.pem");
        Process p = new ProcessBuilder("/usr/bin/openssl", "req", "-x509", "-newkey", "ec",
                "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "1", "-subj", "/CN=localhost",
                "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost",
                "-keyout", key.toString(), "-out", cert.toString())
                .redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        assertEquals(0, p.waitFor());

        ServerConfig config = ConfigLoader.load(null, Map.of(
                "PARLEY_SERVER_TLS_CERTIFICATE", cert.toString(),
                "PARLEY_SERVER_TLS_PRIVATE_KEY", key.toString())).withHttp("127.0.0.1", 0, dir.resolve("data"));
        try (ParleyServer server = ParleyServer.start(config, Clock.systemUTC())) {
            assertEquals("https", server.uri().getScheme());
            HttpClient tls = HttpClient.newBuilder().sslContext(trusting(cert)).build();
            HttpResponse<String> res = tls.send(HttpRequest.newBuilder(server.uri().resolve("/health/live")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, res.statusCode());
            URI plain = URI.create("http://127.0.0.1:" + server.port() + "/health/live");
            assertThrows(java.io.IOException.class, () -> http.send(HttpRequest.newBuilder(plain).build(),
                    HttpResponse.BodyHandlers.ofString()));
        }
    }

    private static SSLContext trusting(Path cert) throws Exception {
        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        try (InputStream in = Files.newInputStream(cert)) {
            trust.setCertificateEntry("parley", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        return ctx;
    }
}
