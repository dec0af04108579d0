// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.cluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.parley.server.testing.TestHttp.ok;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
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
import org.parley.server.delivery.WsTestClient;
import org.parley.server.testing.AccountsTestKeys;
import org.parley.server.testing.LookupTestEnvironment;
import org.parley.server.testing.PostgresProcess;
import org.parley.server.testing.RedisProcess;
import org.parley.server.testing.TestHttp;
import org.parley.testing.Eventually;

/**
 * Two nodes in this JVM sharing one PostgreSQL database and a private Redis, each with its own data
 * directory (one directory serves one server): what one node does reaches
 * the connections and counters of the other. The delivery keepalive (30 s) is far longer than the
 * waits here, so an envelope that arrives on the other node within them was pushed (or, with Redis
 * down, polled), never picked up by the keepalive's re-read.
 */
class CrossNodeSignalsTest {
    private static final Duration PROMPT = Duration.ofSeconds(10);

    @TempDir
    Path dir;
    private RedisProcess redis;
    private ParleyServer a;
    private ParleyServer b;
    private ServerConfig configB;
    private final TestHttp http = new TestHttp();

    private record Device(String accountId, int registrationId, String auth) {}

    @BeforeEach
    void start() {
        redis = RedisProcess.start(dir.resolve("redis"));
        PostgresProcess pg = PostgresProcess.shared();
        ServerConfig shared = LookupTestEnvironment.quota(3).apply(ConfigLoader.load(null, Map.of(
                        "PARLEY_STORAGE_BACKEND", "postgresql",
                        "PARLEY_STORAGE_POSTGRESQL_URL", pg.jdbcUrl(pg.createDatabase()),
                        "PARLEY_STORAGE_POSTGRESQL_USER", PostgresProcess.USER,
                        "PARLEY_STORAGE_POSTGRESQL_PASSWORD", PostgresProcess.PASSWORD,
                        "PARLEY_STORAGE_POSTGRESQL_POOL_SIZE", "4"))
                .withRedis(new ServerConfig.Redis(List.of(redis.uri()), false, "cross-node-test-secret-0123456789abcdef")));
        a = ParleyServer.start(shared.withHttp("127.0.0.1", 0, dir.resolve("a")), Clock.systemUTC());
        configB = shared.withHttp("127.0.0.1", 0, dir.resolve("b"));
        b = ParleyServer.start(configB, Clock.systemUTC());
        awaitRedis(a, "UP");
        awaitRedis(b, "UP");
    }

    @AfterEach
    void stop() {
        if (a != null) {
            a.close();
        }
        if (b != null) {
            b.close();
        }
        redis.close();
    }

    @Test
    void anEnvelopeStoredByOneNodeWakesTheRecipientsConnectionOnTheOther() throws Exception {
        Device alice = register("alice@example.org", 11);
        Device bob = register("bob@example.org", 12);
        try (WsTestClient bobOnB = WsTestClient.connect(ws(b), bob.auth())) {
            assertInstanceOf(Frame.QueueEmpty.class, bobOnB.next(PROMPT));
            byte[] payload = {1, 2, 3, 4};
            ok(send(a, alice, bob, payload));
            Frame.EnvelopeFrame got = assertInstanceOf(Frame.EnvelopeFrame.class, bobOnB.next(PROMPT));
            assertArrayEquals(payload, got.envelope().content());
        }
    }

    @Test
    void connectingOnAnotherNodeClosesTheOlderConnectionWith4409() throws Exception {
        Device bob = register("bob@example.org", 12);
        try (WsTestClient onA = WsTestClient.connect(ws(a), bob.auth())) {
            assertInstanceOf(Frame.QueueEmpty.class, onA.next(PROMPT));
            awaitSignalled(onA, b, register("alice@example.org", 11), bob);
            try (WsTestClient onB = WsTestClient.connect(ws(b), bob.auth())) {
                assertInstanceOf(Frame.QueueEmpty.class, onB.next(PROMPT));
                assertEquals(Frame.CLOSE_CONNECTED_ELSEWHERE, onA.awaitClose(PROMPT).code());
                onB.expectSilence(Duration.ofMillis(500));
                assertEquals(false, onB.isClosed());
            }
        }
    }

    @Test
    void ofTwoConnectionsOpenedAtOnceOnTwoNodesExactlyOneStays() throws Exception {
        Device alice = register("alice@example.org", 11);
        Device bob = register("bob@example.org", 12);
        for (int round = 0; round < 5; round++) {
            var onA = java.util.concurrent.CompletableFuture.supplyAsync(() -> connect(a, bob));
            var onB = java.util.concurrent.CompletableFuture.supplyAsync(() -> connect(b, bob));
            try (WsTestClient x = onA.get(); WsTestClient y = onB.get()) {
                // Either one may win, but not both and not neither.
                long deadline = System.nanoTime() + PROMPT.toNanos();
                while (!x.isClosed() && !y.isClosed() && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                }
                // The survivor still delivers an envelope signalled through Redis after both
                // connections' signals (one channel keeps publishing order): by then every close
                // those signals cause has been decided.
                WsTestClient open = x.isClosed() ? y : x;
                awaitSignalled(open, x.isClosed() ? a : b, alice, bob);
                assertEquals(1, (x.isClosed() ? 1 : 0) + (y.isClosed() ? 1 : 0), "round " + round);
                WsTestClient closed = x.isClosed() ? x : y;
                assertEquals(Frame.CLOSE_CONNECTED_ELSEWHERE, closed.awaitClose(PROMPT).code());
            }
        }
    }

    private static WsTestClient connect(ParleyServer node, Device device) {
        try {
            return WsTestClient.connect(ws(node), device.auth());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void theDailyLookupQuotaIsCountedAcrossNodes() {
        Device alice = register("alice@example.org", 11);
        ok(lookup(a, alice, List.of("x1@example.org", "x2@example.org")));
        // A repeat is free on any node; two new handles would make four of three.
        ok(lookup(b, alice, List.of("x1@example.org")));
        assertEquals(429, lookup(b, alice, List.of("x3@example.org", "x4@example.org")).statusCode());
        ok(lookup(b, alice, List.of("x3@example.org")));
        assertEquals(429, lookup(a, alice, List.of("x4@example.org")).statusCode());
    }

    @Test
    void withRedisDownTheNodesStayReadyAndPollAndPushResumesWhenItReturns() throws Exception {
        Device alice = register("alice@example.org", 11);
        Device bob = register("bob@example.org", 12);
        try (WsTestClient bobOnB = WsTestClient.connect(ws(b), bob.auth())) {
            assertInstanceOf(Frame.QueueEmpty.class, bobOnB.next(PROMPT));
            redis.stop();
            awaitRedis(a, "DOWN");
            awaitRedis(b, "DOWN");
            HttpResponse<String> ready = http.send(a.port(), "GET", "/health/ready", null, null);
            assertEquals(200, ready.statusCode(), "Redis down leaves the node ready");
            assertEquals("DEGRADED", TestHttp.parse(ready).get("status").asText());
            assertEquals("UP", TestHttp.parse(ready).get("checks").get("database").asText());
            String metrics = http.send(a.port(), "GET", "/metrics", null, null).body();
            assertTrue(metrics.contains("parley_redis_up 0.0"), "parley_redis_up should be 0 while Redis is down");

            ok(send(a, alice, bob, new byte[] {9}));
            bobOnB.ack(assertInstanceOf(Frame.EnvelopeFrame.class, bobOnB.next(PROMPT)).envelope().guid());
            // Lookups still work, counted by each node for itself meanwhile.
            ok(lookup(a, alice, List.of("y1@example.org")));

            redis.restart();
            awaitRedis(a, "UP");
            awaitRedis(b, "UP");
            assertEquals("UP", TestHttp.parse(http.send(b.port(), "GET", "/health/ready", null, null)).get("status").asText());
            ok(send(a, alice, bob, new byte[] {10}));
            assertArrayEquals(new byte[] {10},
                    assertInstanceOf(Frame.EnvelopeFrame.class, bobOnB.next(PROMPT)).envelope().content());
        }
    }

    @Test
    void aNodeStartsWithoutRedisAndJoinsWhenRedisComesUp() throws Exception {
        redis.stop();
        awaitRedis(a, "DOWN");
        b.close();
        b = ParleyServer.start(configB, Clock.systemUTC());
        assertEquals("DEGRADED", TestHttp.parse(http.send(b.port(), "GET", "/health/ready", null, null)).get("status").asText());
        redis.restart();
        awaitRedis(b, "UP");
        awaitRedis(a, "UP");
        Device alice = register("alice@example.org", 11);
        Device bob = register("bob@example.org", 12);
        try (WsTestClient bobOnB = WsTestClient.connect(ws(b), bob.auth())) {
            assertInstanceOf(Frame.QueueEmpty.class, bobOnB.next(PROMPT));
            ok(send(a, alice, bob, new byte[] {7}));
            assertInstanceOf(Frame.EnvelopeFrame.class, bobOnB.next(PROMPT));
        }
    }

    private Device register(String handle, int registrationId) {
        AccountsTestKeys keys = new AccountsTestKeys();
        JsonNode session = ok(http.send(a.port(), "POST", "/v1/verification/sessions", Map.of("handle", handle), null));
        String code;
        try {
            code = Files.readString(dir.resolve("a").resolve("dev-codes").resolve(session.get("handle").asText())).strip();
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
        JsonNode account = ok(http.send(a.port(), "POST", "/v1/accounts",
                new RegistrationRequest(session.get("sessionId").asText(), code, keys.registration(registrationId)), null));
        String id = account.get("accountId").asText();
        return new Device(id, registrationId, keys.basic(id, 1));
    }

    private HttpResponse<String> send(ParleyServer via, Device from, Device to, byte[] payload) {
        return http.send(via.port(), "PUT", "/v1/messages/" + to.accountId(), new SendMessageRequest(System.currentTimeMillis(),
                List.of(new OutgoingMessage(1, to.registrationId(), MessageType.SIGNAL, payload)), List.of()), from.auth());
    }

    private HttpResponse<String> lookup(ParleyServer via, Device who, List<String> handles) {
        return http.send(via.port(), "POST", "/v1/directory/lookup", Map.of("handles", handles), who.auth());
    }

    private static URI ws(ParleyServer node) {
        return URI.create("ws://127.0.0.1:" + node.port() + "/v1/websocket");
    }

    /**
     * Returns once {@code connection} has received an envelope that {@code via} (the other node)
     * signalled through Redis, and its ack is committed. Redis delivers one channel's messages in
     * publishing order, so the connection's own earlier "connected" signal has come back by then.
     */
    private void awaitSignalled(WsTestClient connection, ParleyServer via, Device from, Device to) throws Exception {
        assertEquals(200, send(via, from, to, new byte[] {1}).statusCode());
        Frame frame = connection.next(PROMPT);
        while (frame instanceof Frame.QueueEmpty) {
            frame = connection.next(PROMPT); // a connection not read yet starts with its queue-empty
        }
        if (!(frame instanceof Frame.EnvelopeFrame envelope)) {
            throw new AssertionError("expected the envelope, got " + frame);
        }
        connection.ack(envelope.envelope().guid());
        Eventually.eventually(() -> queued(to) == 0, PROMPT, "the ack is committed");
    }

    /** Envelopes queued for the account, from its own data export. */
    private long queued(Device who) {
        return TestHttp.parse(http.send(a.port(), "GET", "/v1/me/data", null, who.auth())).path("queuedEnvelopes").asLong(-1);
    }

    private void awaitRedis(ParleyServer node, String state) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode body = TestHttp.parse(http.send(node.port(), "GET", "/health/ready", null, null));
            if (state.equals(body.path("checks").path("redis").asText())) {
                return;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
        throw new AssertionError("redis never reported " + state);
    }
}
