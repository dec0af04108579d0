// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.bench;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.parley.client.transport.DeviceCredentials;
import org.parley.client.transport.ParleyApi;
import org.parley.client.transport.ServerUrls;

/**
 * The server under test: its URL, its data directory (for development verification codes) and a JDK
 * {@link HttpClient} for set-up calls through the client library (registration, key bundles, metrics).
 * The measured traffic does not use it: see {@link RawHttp} and {@link Receiver}.
 */
final class BenchTarget implements AutoCloseable {
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

    private final URI server;
    private final Path dataDir;
    private final ExecutorService callbacks = Executors.newVirtualThreadPerTaskExecutor();
    private final HttpClient client;

    BenchTarget(String serverUrl, Path dataDir) {
        this.server = ServerUrls.normalize(serverUrl);
        this.dataDir = dataDir;
        this.client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10))
                .followRedirects(HttpClient.Redirect.NEVER)
                .executor(callbacks)
                .build();
    }

    URI server() {
        return server;
    }

    Path dataDir() {
        return dataDir;
    }

    HttpClient http() {
        return client;
    }

    /** {@code path} under the server URL, e.g. {@code /v1/messages/…}. */
    URI uri(String path) {
        String base = server.toString();
        return URI.create((base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + path);
    }

    /** The client library's API for set-up calls (registration, bundles); not used on hot paths. */
    ParleyApi api(DeviceCredentials credentials) {
        return new ParleyApi(server, http(), REQUEST_TIMEOUT, credentials);
    }

    /** True when the server's host resolves to a loopback address, i.e. it runs on this machine. */
    boolean loopback() {
        try {
            return InetAddress.getByName(server.getHost()).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    int port() {
        if (server.getPort() > 0) {
            return server.getPort();
        }
        return "https".equals(server.getScheme()) ? 443 : 80;
    }

    @Override
    public void close() {
        client.shutdownNow();
        callbacks.shutdownNow();
    }
}
