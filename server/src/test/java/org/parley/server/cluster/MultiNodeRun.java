// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.parley.protocol.Json;
import org.parley.protocol.MessageType;
import org.parley.protocol.OutgoingMessage;
import org.parley.protocol.RegistrationRequest;
import org.parley.protocol.SendMessageRequest;
import org.parley.server.testing.AccountsTestKeys;
import org.parley.server.testing.NodeProcess;
import org.parley.server.testing.TestHttp;

/**
 * A deployment of three Parley node processes sharing one database and one Redis, and a crowd of
 * {@link SimClient}s spread over them that send each other opaque payloads. Keeps the books a
 * multi-node test asserts on: every guid the server answered 200 for, and what each client got.
 */
final class MultiNodeRun implements AutoCloseable {
    static final int NODES = 3;
    private static final String SECRET = "multi-node-test-key-secret-0123456789abcdef";

    private final Path dir;
    private final String databaseYaml;
    private final String redisYaml;
    private final AtomicReferenceArray<NodeProcess> nodes = new AtomicReferenceArray<>(NODES);
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    final List<SimClient> clients = new ArrayList<>();
    /** guid -> recipient index, for every envelope of a send answered 200. */
    final Map<String, Integer> accepted = new ConcurrentHashMap<>();
    /** guid -> System.nanoTime() when its send was answered 200. */
    final Map<String, Long> acceptedAt = new ConcurrentHashMap<>();
    final AtomicInteger failedSends = new AtomicInteger();

    /**
     * @param databaseYaml the {@code storage:} section and whatever the database needs (one data
     *                     directory per node is appended by this class)
     * @param redisUris    {@code redis.uris}
     */
    MultiNodeRun(Path dir, String databaseYaml, List<String> redisUris, boolean redisCluster) {
        this.dir = dir;
        this.databaseYaml = databaseYaml;
        StringBuilder r = new StringBuilder("redis:\n  uris:\n");
        redisUris.forEach(u -> r.append("    - ").append(u).append('\n'));
        r.append("  mode: ").append(redisCluster ? "cluster" : "standalone").append('\n');
        r.append("  key-secret: ").append(SECRET).append('\n');
        this.redisYaml = r.toString();
    }

    /** Starts the three nodes (one after the other: the first migrates the schema). */
    void startNodes(java.util.function.IntFunction<Path> dataDir) throws IOException, InterruptedException {
        for (int i = 0; i < NODES; i++) {
            Path config = dir.resolve("node" + i + ".yaml");
            Files.writeString(config, """
                    server:
                      host: 127.0.0.1
                      port: 0
                      data-dir: %s
                    verification:
                      sender: dev
                    %s
                    %s
                    """.formatted(dataDir.apply(i), databaseYaml, redisYaml), StandardCharsets.UTF_8);
            nodes.set(i, NodeProcess.start("node" + i, config));
        }
    }

    NodeProcess node(int i) {
        return nodes.get(i);
    }

    URI wsUri(int i) {
        NodeProcess n = nodes.get(i);
        return n == null || !n.isAlive() ? null : URI.create("ws://127.0.0.1:" + n.port() + "/v1/websocket");
    }

    void kill(int i) throws InterruptedException {
        NodeProcess n = nodes.getAndSet(i, null);
        n.kill();
    }

    /** Registers {@code count} devices through node 0 (its data directory holds the development codes) and connects them. */
    void registerClients(int count, Path node0DataDir) {
        TestHttp json = new TestHttp();
        AccountsTestKeys keys = new AccountsTestKeys();
        int port = nodes.get(0).port();
        for (int i = 0; i < count; i++) {
            String handle = "multi" + i + "@example.org";
            JsonNode session = TestHttp.ok(json.send(port, "POST", "/v1/verification/sessions", Map.of("handle", handle), null));
            String normalized = session.get("handle").asText();
            String code = readCode(node0DataDir.resolve("dev-codes").resolve(normalized));
            int registrationId = 1000 + i;
            JsonNode account = TestHttp.ok(json.send(port, "POST", "/v1/accounts", new RegistrationRequest(
                    session.get("sessionId").asText(), code, keys.registration(registrationId)), null));
            String accountId = account.get("accountId").asText();
            clients.add(new SimClient(i, accountId, registrationId, AccountsTestKeys.basic(accountId, 1, keys.password()),
                    http, this::wsUri, NODES));
        }
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (SimClient c : clients) {
                pool.submit(() -> c.connect(c.index % NODES));
            }
        }
    }

    private static String readCode(Path file) {
        for (int i = 0; i < 200; i++) {
            try {
                String code = Files.readString(file).strip();
                if (!code.isEmpty()) {
                    return code;
                }
            } catch (IOException e) {
                // not yet written
            }
            try {
                Thread.sleep(25);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        throw new AssertionError("no development code in " + file);
    }

    /**
     * One send of an opaque payload from {@code from} to {@code to}, through {@code from}'s preferred
     * node or the next live one. Returns true when answered 200 (its guid is then in {@link #accepted}).
     */
    boolean send(SimClient from, SimClient to) {
        byte[] payload = new byte[64];
        ThreadLocalRandom.current().nextBytes(payload);
        byte[] body = TestHttp.json(new SendMessageRequest(System.currentTimeMillis(),
                List.of(new OutgoingMessage(1, to.registrationId, MessageType.SIGNAL, payload)), List.of()));
        for (int attempt = 0; attempt < NODES; attempt++) {
            NodeProcess n = nodes.get((from.index + attempt) % NODES);
            if (n == null || !n.isAlive()) {
                continue;
            }
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + n.port() + "/v1/messages/" + to.accountId))
                    .timeout(Duration.ofSeconds(20))
                    .header("Authorization", from.authorization)
                    .header("Content-Type", "application/json")
                    .PUT(HttpRequest.BodyPublishers.ofByteArray(body)).build();
            try {
                HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200) {
                    long answered = System.nanoTime();
                    JsonNode receipts = Json.lenient().readTree(response.body()).get("guids");
                    for (JsonNode r : receipts) {
                        acceptedAt.put(r.get("guid").asText(), answered);
                        accepted.put(r.get("guid").asText(), to.index);
                    }
                    return true;
                }
                failedSends.incrementAndGet();
                return false;
            } catch (IOException e) {
                // The node died under us: the send may or may not be stored; not counted as accepted.
                failedSends.incrementAndGet();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return false;
    }

    /** The readiness answer of node {@code i}, or null when it does not answer. */
    JsonNode ready(int i) {
        NodeProcess n = nodes.get(i);
        if (n == null) {
            return null;
        }
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + n.port() + "/health/ready"))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
            return Json.lenient().readTree(r.body());
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** Guids answered 200 and not (yet) delivered. */
    long missing() {
        return accepted.entrySet().stream()
                .filter(e -> !clients.get(e.getValue()).received.containsKey(e.getKey())).count();
    }

    /** Deliveries beyond the first of a guid (what the client's de-duplication drops). */
    long duplicates() {
        return clients.stream().flatMap(c -> c.received.values().stream()).mapToLong(n -> n.get() - 1L).sum();
    }

    /** Delivered guids of sends that were never answered 200 (the node died after the commit). */
    long unconfirmed() {
        return clients.stream().flatMap(c -> c.received.keySet().stream()).filter(g -> !accepted.containsKey(g)).count();
    }

    /**
     * Milliseconds from the 200 answer to the first delivery, sorted, for the sends answered 200
     * before {@code beforeNanos} (the steady state before something breaks). Negative values are
     * deliveries that beat the sender's reading of its answer.
     */
    long[] latenciesMillis(long beforeNanos) {
        return accepted.entrySet().stream()
                .filter(e -> acceptedAt.get(e.getKey()) < beforeNanos)
                .map(e -> {
                    Long delivered = clients.get(e.getValue()).firstDelivered.get(e.getKey());
                    return delivered == null ? Long.MAX_VALUE : (delivered - acceptedAt.get(e.getKey())) / 1_000_000;
                })
                .mapToLong(Long::longValue).sorted().toArray();
    }

    @Override
    public void close() {
        clients.forEach(SimClient::stop);
        for (int i = 0; i < NODES; i++) {
            NodeProcess n = nodes.getAndSet(i, null);
            if (n != null) {
                n.close();
            }
        }
    }
}
