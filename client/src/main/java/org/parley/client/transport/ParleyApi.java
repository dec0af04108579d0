// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.client.transport;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.parley.client.error.ParleyApiException;
import org.parley.client.error.ParleyStateException;
import org.parley.client.error.ParleyTransportException;
import org.parley.protocol.BatchLookupRequest;
import org.parley.protocol.BatchLookupResponse;
import org.parley.protocol.Json;
import org.parley.protocol.KeyUploadRequest;
import org.parley.protocol.LookupResult;
import org.parley.protocol.MyData;
import org.parley.protocol.PreKeyBundles;
import org.parley.protocol.PreKeyCounts;
import org.parley.protocol.RegistrationRequest;
import org.parley.protocol.RegistrationResponse;
import org.parley.protocol.SendMessageRequest;
import org.parley.protocol.UserNotices;
import org.parley.protocol.SendMessageResponse;
import org.parley.protocol.VerificationSessionRequest;
import org.parley.protocol.VerificationSessionResponse;

/**
 * The HTTP half of the wire protocol ({@code docs/protocol.md}), one method per endpoint, blocking.
 * Error answers become {@link ParleyApiException}; a server that cannot be reached becomes
 * {@link ParleyTransportException}.
 */
public final class ParleyApi {
    private static final ObjectMapper JSON = Json.lenient();

    private final URI serverUrl;
    private final HttpClient http;
    private final Duration requestTimeout;
    private final DeviceCredentials credentials;

    /** {@code credentials} may be null before registration; the device endpoints then refuse locally. */
    public ParleyApi(URI serverUrl, HttpClient http, Duration requestTimeout, DeviceCredentials credentials) {
        this.serverUrl = serverUrl;
        this.http = http;
        this.requestTimeout = requestTimeout;
        this.credentials = credentials;
    }

    public URI serverUrl() {
        return serverUrl;
    }

    // ---- accounts -------------------------------------------------------------------------------

    public VerificationSessionResponse startVerification(String handle) {
        return call(post("/v1/verification/sessions", new VerificationSessionRequest(handle), false),
                VerificationSessionResponse.class);
    }

    public RegistrationResponse register(RegistrationRequest request) {
        return call(post("/v1/accounts", request, false), RegistrationResponse.class);
    }

    // ---- keys -----------------------------------------------------------------------------------

    public void uploadKeys(KeyUploadRequest request) {
        call(withJson(request("/v1/keys", true), "PUT", request), Void.class);
    }

    public PreKeyCounts preKeyCounts() {
        return call(request("/v1/keys", true).GET().build(), PreKeyCounts.class);
    }

    /** Bundles of every device of the account; consumes one one-time key of each kind per device. */
    public PreKeyBundles bundles(String accountId) {
        return call(request("/v1/keys/" + ServerUrls.segment(accountId) + "/*", true).GET().build(), PreKeyBundles.class);
    }

    /** The bundle of one device; consumes one one-time key of each kind. */
    public PreKeyBundles bundle(String accountId, int deviceId) {
        return call(request("/v1/keys/" + ServerUrls.segment(accountId) + "/" + deviceId, true).GET().build(),
                PreKeyBundles.class);
    }

    // ---- directory ------------------------------------------------------------------------------

    public LookupResult lookup(String handle) {
        return call(request("/v1/directory/" + ServerUrls.segment(handle), true).GET().build(), LookupResult.class);
    }

    /** 1..100 handles; results come back in request order. */
    public List<LookupResult> lookup(List<String> handles) {
        return call(post("/v1/directory/lookup", new BatchLookupRequest(handles), true), BatchLookupResponse.class)
                .results();
    }

    // ---- transparency ---------------------------------------------------------------------------

    /** Everything the server holds about this device's account ({@code GET /v1/me/data}). */
    public MyData myData() {
        return call(request("/v1/me/data", true).GET().build(), MyData.class);
    }

    // ---- messages -------------------------------------------------------------------------------

    public SendMessageResponse send(String accountId, SendMessageRequest request) {
        return call(withJson(request("/v1/messages/" + ServerUrls.segment(accountId), true), "PUT", request),
                SendMessageResponse.class);
    }

    /** Opens the delivery WebSocket with this device's credentials. */
    public DeliverySocket openDelivery() {
        return DeliverySocket.connect(http, ServerUrls.websocket(serverUrl, "/v1/websocket"),
                requireCredentials().authorizationHeader(), requestTimeout);
    }

    // ---- notices --------------------------------------------------------------------------------

    /** Disclosures about this account whose non-disclosure period is over. */
    public UserNotices notices() {
        return call(request("/v1/me/notices", true).GET().build(), UserNotices.class);
    }

    // ---- plumbing -------------------------------------------------------------------------------

    private HttpRequest.Builder request(String path, boolean authenticated) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(ServerUrls.http(serverUrl, path))
                .timeout(requestTimeout)
                .header("Accept", "application/json");
        if (authenticated) {
            builder.header("Authorization", requireCredentials().authorizationHeader());
        }
        return builder;
    }

    private HttpRequest post(String path, Object body, boolean authenticated) {
        return withJson(request(path, authenticated), "POST", body);
    }

    private static HttpRequest withJson(HttpRequest.Builder builder, String method, Object body) {
        return builder.header("Content-Type", "application/json").method(method, body(body)).build();
    }

    private DeviceCredentials requireCredentials() {
        if (credentials == null) {
            throw new ParleyStateException("this device is not registered yet");
        }
        return credentials;
    }

    private static HttpRequest.BodyPublisher body(Object value) {
        try {
            return HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(value));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode " + value.getClass().getSimpleName(), e);
        }
    }

    private <T> T call(HttpRequest request, Class<T> type) {
        HttpResponse<byte[]> response = exchange(request);
        int status = response.statusCode();
        if (status / 100 != 2) {
            throw ApiErrors.from(status, response.body(), response.headers().firstValue("Retry-After").orElse(null));
        }
        if (type == Void.class) {
            return null;
        }
        try {
            return JSON.readValue(response.body(), type);
        } catch (IOException e) {
            throw new ParleyTransportException("the server at " + serverUrl + " answered " + request.method() + " "
                    + request.uri().getRawPath() + " with a body this client cannot read: " + e.getMessage(), e);
        }
    }

    private HttpResponse<byte[]> exchange(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (HttpTimeoutException e) {
            throw new ParleyTransportException("the server at " + serverUrl + " did not answer within "
                    + requestTimeout.toSeconds() + " s", e);
        } catch (ConnectException e) {
            throw new ParleyTransportException("cannot connect to the server at " + serverUrl
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()), e);
        } catch (IOException e) {
            throw new ParleyTransportException("talking to the server at " + serverUrl + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ParleyTransportException("interrupted while waiting for the server", e);
        }
    }

    /** Turns an error answer into {@link ParleyApiException}, tolerating bodies that are not Parley's JSON. */
    static final class ApiErrors {
        private ApiErrors() {}

        static ParleyApiException from(int status, byte[] body, String retryAfter) {
            String text = body == null ? "" : new String(body, StandardCharsets.UTF_8);
            String error = "http_" + status;
            String message = "the server answered HTTP " + status;
            try {
                JsonNode node = JSON.readTree(text);
                if (node != null && node.hasNonNull("error")) {
                    error = node.get("error").asText();
                    message = node.hasNonNull("message") ? node.get("message").asText() : message;
                }
            } catch (IOException notJson) {
                // A proxy's HTML error page: keep the generic message.
            }
            return new ParleyApiException(status, error, message, text, retryAfterSeconds(retryAfter));
        }

        private static Long retryAfterSeconds(String header) {
            if (header == null) {
                return null;
            }
            try {
                return Long.parseLong(header.strip());
            } catch (NumberFormatException e) {
                return null;
            }
        }
    }
}
