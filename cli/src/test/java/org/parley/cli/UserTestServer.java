// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.parley.client.ParleyClient;
import org.parley.server.ParleyServer;
import org.parley.server.config.ConfigLoader;

/**
 * The real Parley server (all features, SQLite, Helidon) on a random loopback port, with the development
 * verification sender whose codes land in {@code <data>/dev-codes/<handle>}.
 */
final class UserTestServer implements AutoCloseable {
    final ParleyServer server;
    final Path dataDir;

    private UserTestServer(Path dataDir, int port) {
        this(ConfigLoader.defaultsOnly().withHttp("127.0.0.1", port, dataDir), Clock.systemUTC());
    }

    private UserTestServer(org.parley.server.config.ServerConfig config, Clock clock) {
        this.server = ParleyServer.start(config, clock);
        this.dataDir = server.config().http().dataDir();
    }

    /** With configuration from {@code env} (PARLEY_* variables) on top of the defaults, and {@code clock}. */
    static UserTestServer start(Path dataDir, java.util.Map<String, String> env, Clock clock) {
        return new UserTestServer(ConfigLoader.load(null, env).withHttp("127.0.0.1", 0, dataDir), clock);
    }

    static UserTestServer start(Path dataDir) {
        return new UserTestServer(dataDir, 0);
    }

    /** With configuration from {@code env} ({@code PARLEY_*} variables), e.g. the S3 attachment store. */
    static UserTestServer start(Path dataDir, Map<String, String> env) {
        return start(dataDir, env, Clock.systemUTC());
    }

    /** On a given port, e.g. the port of a server that was stopped, to restart it on the same data. */
    static UserTestServer start(Path dataDir, int port) {
        return new UserTestServer(dataDir, port);
    }

    int port() {
        return server.port();
    }

    String url() {
        return "http://127.0.0.1:" + server.port();
    }

    /** How many delivery WebSockets the server holds now (its {@code parley_delivery_connections} gauge). */
    int deliveryConnections() {
        try (HttpClient http = HttpClient.newHttpClient()) {
            String metrics = http.send(HttpRequest.newBuilder(URI.create(url() + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            return (int) metrics.lines()
                    .filter(l -> l.startsWith("parley_delivery_connections"))
                    .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
                    .sum();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Polls until the server holds at least {@code count} delivery connections. */
    void awaitDeliveryConnections(int count, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (deliveryConnections() < count) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("fewer than " + count + " delivery connections after " + timeout);
            }
            Thread.sleep(20);
        }
    }

    /** The last code the development sender wrote for {@code handle}. */
    String codeFor(String handle) {
        Path file = dataDir.resolve("dev-codes").resolve(handle.replace("%", "%25").replace("/", "%2F"));
        try {
            return Files.readString(file).strip();
        } catch (IOException e) {
            throw new UncheckedIOException("no code written for " + handle, e);
        }
    }

    /** A handle no other test uses, so tests share one server without interfering. */
    static String freshHandle(String name) {
        return name + "-" + UUID.randomUUID().toString().substring(0, 8) + "@example.org";
    }

    /** A registered client library instance in {@code home}. */
    ParleyClient register(Path home, String handle) {
        ParleyClient client = ParleyClient.open(home);
        client.startRegistration(url(), handle);
        client.verify(codeFor(handle));
        return client;
    }

    @Override
    public void close() {
        server.close();
    }
}
