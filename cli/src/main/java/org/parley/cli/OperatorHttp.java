// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import org.parley.protocol.Json;

/**
 * Operator API calls over HTTP with the bearer token from a file. Failures are {@link Failure}s
 * carrying the exit code: 1 for local problems (token file, URL), 2 for the server's refusals and
 * for an unreachable server.
 */
final class OperatorHttp {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    /**
     * A failed call: the message to print, the exit code, and the error code for {@code --json}
     * (the server's {@code error} when it sent one).
     */
    static final class Failure extends Exception {
        private static final long serialVersionUID = 1L;
        final int exitCode;
        final String error;

        Failure(int exitCode, String message) {
            this(exitCode, exitCode == Failures.SERVER_ERROR ? "server_error" : "local_error", message);
        }

        Failure(int exitCode, String error, String message) {
            super(message, null, false, false);
            this.exitCode = exitCode;
            this.error = error;
        }
    }

    private final URI base;
    private final String token;

    private OperatorHttp(URI base, String token) {
        this.base = base;
        this.token = token;
    }

    static OperatorHttp open(String server, Path tokenFile) throws Failure {
        String token;
        try {
            token = Files.readString(tokenFile).strip();
        } catch (NoSuchFileException e) {
            throw new Failure(Failures.LOCAL_ERROR, "token file " + tokenFile + " does not exist");
        } catch (IOException e) {
            throw new Failure(Failures.LOCAL_ERROR, "cannot read token file " + tokenFile + ": " + IoErrors.reason(tokenFile, e));
        }
        if (token.isEmpty()) {
            throw new Failure(Failures.LOCAL_ERROR, "token file " + tokenFile + " is empty");
        }
        return new OperatorHttp(baseUri(server), token);
    }

    static URI baseUri(String server) throws Failure {
        try {
            URI uri = URI.create(server.strip().replaceAll("/+$", ""));
            if (uri.getScheme() != null && uri.getHost() != null
                    && (uri.getScheme().equals("http") || uri.getScheme().equals("https"))) {
                return uri;
            }
        } catch (IllegalArgumentException e) {
            // the message below
        }
        throw new Failure(Failures.LOCAL_ERROR, "--server must be a URL such as http://127.0.0.1:8080");
    }

    /** GET or POST (with a JSON body, or none) answering JSON; anything but 2xx is a failure. */
    JsonNode json(String method, String path, Object body) throws Failure {
        HttpRequest.Builder b = request(path).header("Accept", "application/json");
        if (body != null) {
            try {
                b.header("Content-Type", "application/json")
                        .method(method, HttpRequest.BodyPublishers.ofByteArray(Json.lenient().writeValueAsBytes(body)));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        } else {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        }
        HttpResponse<byte[]> r = send(b.build());
        try {
            return Json.lenient().readTree(r.body());
        } catch (IOException e) {
            throw new Failure(Failures.SERVER_ERROR, "the server's answer is not JSON");
        }
    }

    byte[] bytes(String path) throws Failure {
        return send(request(path).GET().build()).body();
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(base + path)).timeout(TIMEOUT).header("Authorization", "Bearer " + token);
    }

    static HttpResponse<byte[]> send(HttpRequest request) throws Failure {
        HttpResponse<byte[]> r;
        try (HttpClient client = HttpClient.newBuilder().connectTimeout(TIMEOUT).build()) {
            r = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (ConnectException e) {
            throw new Failure(Failures.SERVER_ERROR, "unreachable", "cannot connect to " + request.uri().getHost() + ":" + request.uri().getPort());
        } catch (IOException e) {
            throw new Failure(Failures.SERVER_ERROR, "request failed: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Failure(Failures.SERVER_ERROR, "interrupted");
        }
        if (r.statusCode() / 100 != 2) {
            throw new Failure(Failures.SERVER_ERROR, errorCode(r.body()), "server answered " + r.statusCode() + describe(r.body()));
        }
        return r;
    }

    /** The server's {@code error} code, or {@code server_error} when the body is not ours. */
    private static String errorCode(byte[] body) {
        try {
            JsonNode node = Json.lenient().readTree(body);
            if (node != null && node.hasNonNull("error")) {
                return node.get("error").asText();
            }
        } catch (IOException e) {
            // Not JSON: a proxy's error page.
        }
        return "server_error";
    }

    /** ": error: message" from an error body, or nothing when the body is not ours. */
    private static String describe(byte[] body) {
        try {
            JsonNode node = Json.lenient().readTree(body);
            if (node != null && node.hasNonNull("error")) {
                return " " + node.get("error").asText() + (node.hasNonNull("message") ? ": " + node.get("message").asText() : "");
            }
        } catch (IOException e) {
            // Not JSON (a proxy's error page): the status says enough.
        }
        return "";
    }
}
