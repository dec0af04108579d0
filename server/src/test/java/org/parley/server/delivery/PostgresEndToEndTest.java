// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.delivery;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.protocol.Frame;
import org.parley.protocol.MessageType;
import org.parley.protocol.OutgoingMessage;
import org.parley.protocol.RegistrationRequest;
import org.parley.protocol.SendMessageRequest;
import org.parley.server.ParleyServer;
import org.parley.server.config.ConfigLoader;
import org.parley.server.config.ServerConfig;
import org.parley.server.storage.PostgresDatabase;
import org.parley.server.testing.AccountsTestKeys;
import org.parley.server.testing.PostgresProcess;
import org.parley.server.testing.TestHttp;

/**
 * The fully wired server on PostgreSQL, configured the way an operator does it (environment
 * variables, a password file): registration, a relayed message, readiness, and riding out a
 * database restart.
 */
class PostgresEndToEndTest {
    @TempDir
    Path dir;

    private final TestHttp http = new TestHttp();
    private PostgresProcess pg;
    private ParleyServer server;

    @BeforeEach
    void startDatabase() {
        // Its own PostgreSQL: this test stops and starts it, which must not disturb other tests.
        pg = PostgresProcess.launch();
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
        pg.close();
    }

    private ServerConfig config() throws Exception {
        return config("4", "PT2S");
    }

    private ServerConfig config(String poolSize, String connectTimeout) throws Exception {
        String database = pg.createDatabase();
        Path secret = Files.writeString(dir.resolve("pg-password"), PostgresProcess.PASSWORD + "\n");
        Path data = Files.createDirectories(dir.resolve("data"));
        return ConfigLoader.load(null, Map.of(
                "PARLEY_STORAGE_BACKEND", "postgresql",
                "PARLEY_STORAGE_POSTGRESQL_URL", pg.jdbcUrl(database),
                "PARLEY_STORAGE_POSTGRESQL_USER", PostgresProcess.USER,
                "PARLEY_STORAGE_POSTGRESQL_PASSWORD_FILE", secret.toString(),
                "PARLEY_STORAGE_POSTGRESQL_POOL_SIZE", poolSize,
                "PARLEY_STORAGE_POSTGRESQL_CONNECT_TIMEOUT", connectTimeout)).withHttp("127.0.0.1", 0, data);
    }

    private HttpResponse<String> send(String method, String path, Object body, String auth) {
        return http.send(server.port(), method, path, body, auth);
    }

    /** Registers {@code handle}; returns {accountId, Basic auth}. */
    private String[] register(String handle) throws Exception {
        JsonNode session = TestHttp.ok(send("POST", "/v1/verification/sessions", Map.of("handle", handle), null));
        String code = Files.readString(server.config().http().dataDir().resolve("dev-codes").resolve(handle)).strip();
        AccountsTestKeys keys = new AccountsTestKeys();
        JsonNode account = TestHttp.ok(send("POST", "/v1/accounts",
                new RegistrationRequest(session.get("sessionId").asText(), code, keys.registration(100)), null));
        String accountId = account.get("accountId").asText();
        return new String[] {accountId, keys.basic(accountId, 1)};
    }

    private void relayOneMessage(String[] from, String[] to, String fromHandle, byte[] content) throws Exception {
        TestHttp.ok(send("PUT", "/v1/messages/" + to[0], new SendMessageRequest(System.currentTimeMillis(),
                List.of(new OutgoingMessage(1, 100, MessageType.PREKEY, content)), List.of()), from[1]));
        URI ws = URI.create("ws://127.0.0.1:" + server.port() + DeliveryFeature.PATH);
        try (WsTestClient receiver = WsTestClient.connect(ws, to[1])) {
            Frame.EnvelopeFrame frame = receiver.nextEnvelope();
            assertArrayEquals(content, frame.envelope().content());
            assertEquals(fromHandle, frame.envelope().sourceHandle());
            assertInstanceOf(Frame.QueueEmpty.class, receiver.next());
            receiver.ack(frame.envelope().guid());
            awaitQueuedMessages(0);
        }
    }

    private long queuedMessages() {
        return server.database().read(c -> {
            try (var s = c.createStatement(); var rs = s.executeQuery("SELECT COUNT(*) FROM messages")) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }

    private void awaitQueuedMessages(long expected) throws InterruptedException {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (queuedMessages() != expected && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertEquals(expected, queuedMessages());
    }

    private int readiness() {
        return send("GET", "/health/ready", null, null).statusCode();
    }

    private void awaitReadiness(int status) throws InterruptedException {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (readiness() != status && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertEquals(status, readiness());
    }

    @Test
    void registerTwoAccountsAndRelay_onPostgresql_thenSurviveADatabaseRestart() throws Exception {
        server = ParleyServer.start(config(), Clock.systemUTC());
        assertInstanceOf(PostgresDatabase.class, server.database());
        JsonNode ready = TestHttp.ok(send("GET", "/health/ready", null, null));
        assertEquals("UP", ready.path("checks").path("database").asText());
        String metrics = send("GET", "/metrics", null, null).body();
        assertTrue(metrics.contains("hikaricp_connections_active"), "the pool's gauges are published");

        String[] alice = register("alice@example.org");
        String[] bob = register("bob@example.org");
        relayOneMessage(alice, bob, "alice@example.org", new byte[] {1, 2, 3, 4});

        pg.stopServer();
        JsonNode down = TestHttp.parse(send("GET", "/health/ready", null, null));
        assertEquals("DOWN", down.path("checks").path("database").asText());
        assertEquals(503, readiness());
        HttpResponse<String> refused = send("PUT", "/v1/messages/" + bob[0], new SendMessageRequest(System.currentTimeMillis(),
                List.of(new OutgoingMessage(1, 100, MessageType.PREKEY, new byte[] {9})), List.of()), alice[1]);
        assertEquals(503, refused.statusCode(), "a send without a database fails instead of claiming success");
        assertEquals("storage_unavailable", TestHttp.parse(refused).path("error").asText());

        pg.startServer();
        awaitReadiness(200);
        relayOneMessage(bob, alice, "bob@example.org", new byte[] {5, 6, 7});
    }

    /**
     * Overload on a healthy database: two pooled connections, a short pool wait, and many sends at
     * once over HTTP and over a WebSocket. Each is stored (200) or told to come back (429), never a
     * 503, and the WebSockets stay open: load is not an outage.
     */
    @Test
    void saturatedPool_sendsAreStoredOrToldToRetry_neverUnavailable_andSocketsStayOpen() throws Exception {
        server = ParleyServer.start(config("2", "PT0.25S"), Clock.systemUTC());
        String[] alice = register("alice@example.org");
        String[] bob = register("bob@example.org");
        URI ws = URI.create("ws://127.0.0.1:" + server.port() + DeliveryFeature.PATH);
        int perTransport = 150;
        try (WsTestClient aliceWs = WsTestClient.connect(ws, alice[1]);
                WsTestClient bobWs = WsTestClient.connect(ws, bob[1]);
                var executor = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
            assertInstanceOf(Frame.QueueEmpty.class, aliceWs.next());
            List<java.util.concurrent.Future<Integer>> httpSends = new java.util.ArrayList<>();
            for (int i = 0; i < perTransport; i++) {
                byte[] content = {(byte) i};
                httpSends.add(executor.submit(() -> send("PUT", "/v1/messages/" + bob[0], new SendMessageRequest(
                        System.currentTimeMillis(), List.of(new OutgoingMessage(1, 100, MessageType.PREKEY, content)),
                        List.of()), alice[1]).statusCode()));
                aliceWs.sendText(org.parley.protocol.Json.strict().writerFor(Frame.class).writeValueAsString(
                        new Frame.Send("s" + i, bob[0], new SendMessageRequest(System.currentTimeMillis(),
                                List.of(new OutgoingMessage(1, 100, MessageType.PREKEY, content)), List.of()))));
            }
            long stored = 0;
            for (var f : httpSends) {
                int status = f.get();
                assertTrue(status == 200 || status == 429, "HTTP send answered " + status);
                stored += status == 200 ? 1 : 0;
            }
            for (int i = 0; i < perTransport; i++) {
                Frame.SendResult r = assertInstanceOf(Frame.SendResult.class, aliceWs.next(java.time.Duration.ofSeconds(60)));
                assertTrue(r.status() == 200 || r.status() == 429, "WebSocket send answered " + r.status());
                stored += r.status() == 200 ? 1 : 0;
            }
            awaitQueuedMessagesAtMost(stored);
            assertTrue(!aliceWs.isClosed() && !bobWs.isClosed(), "no WebSocket was closed for load");
        }
    }

    /** Bob's socket acks nothing, so exactly the stored sends stay queued. */
    private void awaitQueuedMessagesAtMost(long stored) throws InterruptedException {
        awaitQueuedMessages(stored);
    }
}
