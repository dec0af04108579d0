// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.client.transport;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.parley.client.error.ParleyApiException;
import org.parley.client.error.ParleyStateException;
import org.parley.client.error.ParleyTransportException;
import org.parley.protocol.AttachmentProgress;
import org.parley.protocol.AttachmentRenewal;
import org.parley.protocol.AttachmentUpload;
import org.parley.protocol.AttachmentUploadRequest;
import org.parley.protocol.BatchLookupRequest;
import org.parley.protocol.BatchLookupResponse;
import org.parley.protocol.DeviceList;
import org.parley.protocol.LinkDeviceRequest;
import org.parley.protocol.ProvisioningCode;
import org.parley.protocol.ProvisioningMessage;
import org.parley.protocol.Json;
import org.parley.protocol.KeyUploadRequest;
import org.parley.protocol.LookupResult;
import org.parley.protocol.MultiRecipientRequest;
import org.parley.protocol.MyData;
import org.parley.protocol.PreKeyBundles;
import org.parley.protocol.PreKeyCounts;
import org.parley.protocol.RegistrationRequest;
import org.parley.protocol.RegistrationResponse;
import org.parley.protocol.AccessKeySettings;
import org.parley.protocol.AccessKeyStatus;
import org.parley.protocol.SealedSendRequest;
import org.parley.protocol.SealedSenderRoot;
import org.parley.protocol.SendMessageRequest;
import org.parley.protocol.SenderCertificateResponse;
import org.parley.protocol.UserNotices;
import org.parley.protocol.SendMessageResponse;
import org.parley.protocol.SmsSendRequest;
import org.parley.protocol.SmsSettings;
import org.parley.protocol.SmsStatus;
import org.parley.protocol.VerificationSessionRequest;
import org.parley.protocol.VerificationSessionResponse;

/**
 * The HTTP half of the wire protocol ({@code docs/protocol.md}), one method per endpoint, blocking.
 * Error answers become {@link ParleyApiException}; a server that cannot be reached becomes
 * {@link ParleyTransportException}.
 *
 * <p>The API may know several URLs of one deployment (its nodes). A request goes to the one that answered
 * last; when no connection to it can be made, the next is tried. Only a failed connect moves on: then
 * nothing reached a server, so no request (a send in particular) can be carried out twice.
 */
public final class ParleyApi {
    private static final ObjectMapper JSON = Json.lenient();

    private final List<URI> servers;
    private final HttpClient http;
    private final Duration requestTimeout;
    private final DeviceCredentials credentials;
    /** The delivery WebSocket opened last and not closed yet: sends go over it. */
    private volatile DeliverySocket sendSocket;
    /** Index into {@link #servers} of the one that answered last; requests start there. */
    private volatile int preferred;

    /** {@code credentials} may be null before registration; the device endpoints then refuse locally. */
    public ParleyApi(URI serverUrl, HttpClient http, Duration requestTimeout, DeviceCredentials credentials) {
        this(List.of(serverUrl), http, requestTimeout, credentials);
    }

    /** An API over several URLs of one deployment, tried in order when a connection cannot be made. */
    public ParleyApi(List<URI> servers, HttpClient http, Duration requestTimeout, DeviceCredentials credentials) {
        if (servers.isEmpty()) {
            throw new IllegalArgumentException("at least one server URL is needed");
        }
        this.servers = List.copyOf(servers);
        this.http = http;
        this.requestTimeout = requestTimeout;
        this.credentials = credentials;
    }

    /** The server that answered last (at first: the first of the list). */
    public URI serverUrl() {
        return servers.get(preferred);
    }

    /** The device credentials the API authenticates with (null before registration). */
    public DeviceCredentials credentials() {
        return credentials;
    }

    /** Every URL this API may use, in order. */
    public List<URI> servers() {
        return servers;
    }

    // ---- accounts -------------------------------------------------------------------------------

    public VerificationSessionResponse startVerification(String handle) {
        return call(post("/v1/verification/sessions", new VerificationSessionRequest(handle), false),
                VerificationSessionResponse.class);
    }

    public RegistrationResponse register(RegistrationRequest request) {
        return call(post("/v1/accounts", request, false), RegistrationResponse.class);
    }

    // ---- linked devices (docs/protocol.md, "Provisioning") --------------------------------------

    /** A one-use code with which one new device may join this device's account. */
    public ProvisioningCode provisioningCode() {
        return call(request("/v1/devices/provisioning-codes", true).POST(HttpRequest.BodyPublishers.noBody()).build(),
                ProvisioningCode.class);
    }

    /** Creates this (new) device in the account the code was issued for; needs no credentials. */
    public RegistrationResponse linkDevice(LinkDeviceRequest request) {
        return call(post("/v1/devices", request, false), RegistrationResponse.class);
    }

    public DeviceList devices() {
        return call(request("/v1/devices", true).GET().build(), DeviceList.class);
    }

    public void removeDevice(int deviceId) {
        call(request("/v1/devices/" + deviceId, true).DELETE().build(), Void.class);
    }

    /** Sends the sealed link message to the new device waiting under provisioning id {@code id}. */
    public void sendProvisioningMessage(String id, byte[] sealed) {
        call(withJson(request("/v1/provisioning/" + ServerUrls.segment(id), true), "PUT",
                new ProvisioningMessage(sealed)), Void.class);
    }

    /** Opens the unauthenticated provisioning WebSocket on the first server. */
    public ProvisioningSocket openProvisioning() {
        return ProvisioningSocket.connect(http, ServerUrls.websocket(servers.getFirst(), "/v1/provisioning"), requestTimeout);
    }

    // ---- keys -----------------------------------------------------------------------------------

    public void uploadKeys(KeyUploadRequest request) {
        call(withJson(request("/v1/keys", true), "PUT", request), Void.class);
    }

    /** Deletes this account: every device, key, queued message and the handle ({@code DELETE /v1/accounts/me}). */
    public void deleteAccount() {
        call(request("/v1/accounts/me", true).DELETE().build(), Void.class);
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

    /** The server's lookup mode and OPRF keys ({@code GET /v1/private-lookup/config}, unauthenticated). */
    public org.parley.protocol.PrivateLookupConfig privateLookupConfig() {
        return call(request("/v1/private-lookup/config", false).GET().build(), org.parley.protocol.PrivateLookupConfig.class);
    }

    /** OPRF evaluation of blinded elements; each counts against the account's daily lookup quota. */
    public org.parley.protocol.OprfEvaluateResponse evaluate(org.parley.protocol.OprfEvaluateRequest request) {
        return call(post("/v1/private-lookup/evaluate", request, true), org.parley.protocol.OprfEvaluateResponse.class);
    }

    /** One bucket of the private lookup's table. */
    public org.parley.protocol.PrivateLookupBucket bucket(String keyId, int prefixBits, int prefix) {
        return call(request("/v1/private-lookup/buckets/" + ServerUrls.segment(keyId) + "/" + prefixBits + "/"
                + Integer.toUnsignedString(prefix), true).GET().build(), org.parley.protocol.PrivateLookupBucket.class);
    }

    // ---- transparency ---------------------------------------------------------------------------

    /** Everything the server holds about this device's account ({@code GET /v1/me/data}). */
    public MyData myData() {
        return call(request("/v1/me/data", true).GET().build(), MyData.class);
    }

    // ---- messages -------------------------------------------------------------------------------

    /**
     * Sends a message. While this API has a delivery WebSocket open ({@link #openDelivery}), the send
     * goes over it as a {@code send} frame (no HTTP request per message); otherwise, or when the frame
     * cannot be written, as {@code PUT /v1/messages/{accountId}}. Both have the same answers and errors.
     */
    public SendMessageResponse send(String accountId, SendMessageRequest request) {
        DeliverySocket socket = sendSocket;
        if (socket != null && socket.canSend()) {
            try {
                return socket.send(accountId, request);
            } catch (DeliverySocket.NotSent e) {
                // Nothing reached the server: HTTP cannot store it twice.
            }
        }
        return sendOverHttp(accountId, request);
    }

    /** {@code PUT /v1/messages/{accountId}}, whatever sockets are open. */
    public SendMessageResponse sendOverHttp(String accountId, SendMessageRequest request) {
        return call(withJson(request("/v1/messages/" + ServerUrls.segment(accountId), true), "PUT", request),
                SendMessageResponse.class);
    }

    /** One request with a ciphertext per device of several accounts ({@code PUT /v1/messages/multi}). */
    public SendMessageResponse sendMulti(MultiRecipientRequest request) {
        return call(withJson(request("/v1/messages/multi", true), "PUT", request), SendMessageResponse.class);
    }

    // ---- sealed sender (docs/protocol.md, "Sealed sender") ---------------------------------------

    /** The sealed-sender trust root the server publishes; clients pin it at registration. */
    public SealedSenderRoot sealedSenderRoot() {
        return call(request("/.well-known/parley/sealed-sender-root", false).GET().build(), SealedSenderRoot.class);
    }

    /** A short-lived sender certificate for this device. */
    public SenderCertificateResponse senderCertificate() {
        return call(request("/v1/certificate/delivery", true).GET().build(), SenderCertificateResponse.class);
    }

    /** Sets the key a sealed send to this account must present. */
    public void setAccessKey(AccessKeySettings settings) {
        call(withJson(request("/v1/me/access-key", true), "PUT", settings), Void.class);
    }

    public AccessKeyStatus accessKeyStatus() {
        return call(request("/v1/me/access-key", true).GET().build(), AccessKeyStatus.class);
    }

    /**
     * A sealed send: no Authorization header (it would name the sender), only the recipient's access key.
     */
    public SendMessageResponse sendSealed(String accountId, byte[] accessKey, SealedSendRequest request) {
        HttpRequest.Builder builder = request("/v1/sealed-messages/" + ServerUrls.segment(accountId), false)
                .header("Unidentified-Access-Key", java.util.Base64.getEncoder().encodeToString(accessKey));
        return call(withJson(builder, "PUT", request), SendMessageResponse.class);
    }

    /**
     * {@code PUT /v1/sealed-messages/multi}: sealed ciphertexts for several accounts, each with its own access
     * key in the body, without this device's credentials. A 401 names the refused accounts
     * ({@link org.parley.protocol.SealedRefusedResponse}).
     */
    public SendMessageResponse sendSealedMulti(org.parley.protocol.SealedMultiRecipientRequest request) {
        return call(withJson(request("/v1/sealed-messages/multi", false), "PUT", request), SendMessageResponse.class);
    }

    /** Opens the delivery WebSocket with this device's credentials, on the server that answered last. */
    public DeliverySocket openDelivery() {
        return openDelivery(serverUrl());
    }

    /**
     * Opens the delivery WebSocket on {@code server}, one of {@link #servers()}; the caller handles
     * failover. Until it is closed, {@link #send} uses it.
     */
    public DeliverySocket openDelivery(URI server) {
        DeliverySocket socket = DeliverySocket.connect(http, ServerUrls.websocket(server, "/v1/websocket"),
                requireCredentials().authorizationHeader(), requestTimeout, closed -> {
                    synchronized (this) {
                        if (sendSocket == closed) {
                            sendSocket = null;
                        }
                    }
                });
        sendSocket = socket;
        return socket;
    }

    // ---- notices --------------------------------------------------------------------------------

    /** Disclosures about this account whose non-disclosure period is over. */
    public UserNotices notices() {
        return call(request("/v1/me/notices", true).GET().build(), UserNotices.class);
    }

    // ---- SMS (not end-to-end encrypted; see docs/sms.md) ---------------------------------------

    /** Queues a plain SMS ({@code POST /v1/sms}); only on the user's explicit choice. */
    public SmsStatus sendSms(SmsSendRequest request) {
        return call(post("/v1/sms", request, true), SmsStatus.class);
    }

    /** One of this account's SMS ({@code GET /v1/sms/{id}}). */
    public SmsStatus smsStatus(String id) {
        return call(request("/v1/sms/" + ServerUrls.segment(id), true).GET().build(), SmsStatus.class);
    }

    /** Turns SMS fallback on or off for this account ({@code PUT /v1/me/settings/sms}). */
    public SmsSettings setSms(boolean enabled) {
        return call(withJson(request("/v1/me/settings/sms", true), "PUT", new SmsSettings(enabled, null)), SmsSettings.class);
    }

    public SmsSettings smsSettings() {
        return call(request("/v1/me/settings/sms", true).GET().build(), SmsSettings.class);
    }

    // ---- attachments (docs/protocol.md, Attachments) --------------------------------------------

    /** Starts an upload of {@code size} ciphertext bytes; the only attachment call that names this device. */
    public AttachmentUpload createAttachment(long size) {
        return call(post("/v1/attachments", new AttachmentUploadRequest(size), true), AttachmentUpload.class);
    }

    /** Where the upload stands ({@code HEAD}: the offset the next piece must start at). */
    public AttachmentProgress attachmentProgress(String id, String uploadToken) {
        return call(capability("/v1/attachments/" + ServerUrls.segment(id) + "/upload", uploadToken).GET().build(),
                AttachmentProgress.class);
    }

    /** Stores one piece at {@code offset}. */
    public AttachmentProgress uploadPiece(String id, String uploadToken, long offset, byte[] piece) {
        // A piece is up to 5 MiB: give a slow link minutes, not the usual request timeout.
        return call(capability("/v1/attachments/" + ServerUrls.segment(id) + "/upload", uploadToken)
                .timeout(Duration.ofMinutes(5))
                .header("Upload-Offset", Long.toString(offset))
                .header("Content-Type", "application/offset+octet-stream")
                .method("PATCH", HttpRequest.BodyPublishers.ofByteArray(piece)).build(), AttachmentProgress.class);
    }

    /** Downloads the blob into {@code file} (replacing it); a refusal leaves the file alone. */
    public void downloadAttachment(String id, String downloadToken, java.nio.file.Path file) {
        HttpRequest request = capability("/v1/attachments/" + ServerUrls.segment(id), downloadToken)
                .timeout(Duration.ofMinutes(30)).GET().build();
        Sent<java.io.InputStream> sent = exchange(request, HttpResponse.BodyHandlers.ofInputStream());
        HttpResponse<java.io.InputStream> response = sent.response();
        try (java.io.InputStream in = response.body()) {
            if (response.statusCode() != 200) {
                throw ApiErrors.from(response.statusCode(), in.readAllBytes(), null);
            }
            java.nio.file.Files.copy(in, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new ParleyTransportException("downloading an attachment from " + sent.server() + " failed: " + e, e);
        }
    }

    /** Keeps the blob on the server for another retention period (the attachment is sent again). */
    public AttachmentRenewal renewAttachment(String id, String downloadToken) {
        return call(capability("/v1/attachments/" + ServerUrls.segment(id) + "/renew", downloadToken)
                .POST(HttpRequest.BodyPublishers.noBody()).build(), AttachmentRenewal.class);
    }

    /** A request authorised by a capability token, never by this device's credentials. */
    private HttpRequest.Builder capability(String path, String token) {
        return request(path, false).header("Authorization", "Capability " + token);
    }

    // ---- plumbing -------------------------------------------------------------------------------

    /** Requests are built against the first server; {@link #exchange} moves them to the preferred one. */
    private HttpRequest.Builder request(String path, boolean authenticated) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(ServerUrls.http(servers.getFirst(), path))
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
        Exchange exchange = exchange(request);
        HttpResponse<byte[]> response = exchange.response();
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
            throw new ParleyTransportException("the server at " + exchange.server() + " answered " + request.method() + " "
                    + request.uri().getRawPath() + " with a body this client cannot read: " + e.getMessage(), e);
        }
    }

    private record Exchange(URI server, HttpResponse<byte[]> response) {}

    private Exchange exchange(HttpRequest request) {
        Sent<byte[]> sent = exchange(request, HttpResponse.BodyHandlers.ofByteArray());
        return new Exchange(sent.server(), sent.response());
    }

    private record Sent<T>(URI server, HttpResponse<T> response) {}

    private <T> Sent<T> exchange(HttpRequest request, HttpResponse.BodyHandler<T> handler) {
        int first = preferred;
        ConnectException refused = null;
        for (int i = 0; i < servers.size(); i++) {
            int index = (first + i) % servers.size();
            URI server = servers.get(index);
            try {
                HttpResponse<T> response = http.send(rebase(request, server), handler);
                preferred = index;
                return new Sent<>(server, response);
            } catch (ConnectException | HttpConnectTimeoutException e) {
                // No connection, so nothing reached this server: trying the next one cannot repeat the request.
                refused = e instanceof ConnectException c ? c : new ConnectException("connect timed out");
            } catch (HttpTimeoutException e) {
                throw new ParleyTransportException("the server at " + server + " did not answer within "
                        + requestTimeout.toSeconds() + " s", e);
            } catch (IOException e) {
                throw new ParleyTransportException("talking to the server at " + server + " failed: " + e, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ParleyTransportException("interrupted while waiting for the server", e);
            }
        }
        String where = servers.size() == 1 ? "the server at " + servers.getFirst() : "any of the servers " + servers;
        throw new ParleyTransportException("cannot connect to " + where
                + (refused.getMessage() == null ? "" : ": " + refused.getMessage()), refused);
    }

    /** The same request against {@code server}: the part after the first server's URL is kept. */
    private HttpRequest rebase(HttpRequest request, URI server) {
        URI first = servers.getFirst();
        if (server.equals(first)) {
            return request;
        }
        String relative = request.uri().toString().substring(ServerUrls.http(first, "").toString().length());
        return HttpRequest.newBuilder(request, (name, value) -> true).uri(ServerUrls.http(server, relative)).build();
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
