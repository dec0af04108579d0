// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.parley.protocol.Json;
import org.parley.protocol.RegistrationRequest;
import org.parley.protocol.RegistrationResponse;
import org.parley.server.config.ConfigLoader;
import org.parley.server.testing.AccountsTestKeys;

/**
 * Whatever a client sends, the answer is a JSON {@code {error, message}} with a 4xx status, never
 * a 5xx and never a stack trace. Runs against the fully wired server with an authenticated device,
 * so bodies reach every parser behind authentication too.
 */
class MalformedInputTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static ParleyServer server;
    private static Path data;
    private static String auth;
    private static String accountId;

    /** Every endpoint that reads a body or path parameters, with the method it answers. */
    private static final List<String[]> ENDPOINTS = List.of(
            new String[] {"POST", "/v1/verification/sessions"},
            new String[] {"POST", "/v1/accounts"},
            new String[] {"PUT", "/v1/keys"},
            new String[] {"POST", "/v1/directory/lookup"},
            new String[] {"PUT", "/v1/messages/{self}"},
            new String[] {"PUT", "/v1/messages/not-an-account"});

    @BeforeContainer
    static void startServer() throws Exception {
        data = Files.createTempDirectory("parley-malformed");
        server = ParleyServer.start(ConfigLoader.load(null, Map.of()).withHttp("127.0.0.1", 0, data), Clock.systemUTC());
        String handle = "+12025550100";
        JsonNode session = Json.lenient().readTree(post("/v1/verification/sessions", "{\"handle\":\"" + handle + "\"}", null).body());
        String code = Files.readString(data.resolve("dev-codes").resolve(handle)).strip();
        AccountsTestKeys keys = new AccountsTestKeys();
        String body = Json.strict().writeValueAsString(new RegistrationRequest(session.path("sessionId").asText(), code,
                keys.registration(4242)));
        HttpResponse<String> registered = post("/v1/accounts", body, null);
        assertEquals(200, registered.statusCode(), registered.body());
        accountId = Json.lenient().readValue(registered.body(), RegistrationResponse.class).accountId();
        auth = keys.basic(accountId, 1);
    }

    @AfterContainer
    static void stopServer() {
        server.close();
    }

    private static HttpResponse<String> post(String path, String body, String authorization) throws Exception {
        return send("POST", path, HttpRequest.BodyPublishers.ofString(body), "application/json", authorization);
    }

    private static HttpResponse<String> send(String method, String path, HttpRequest.BodyPublisher body, String type,
                                             String authorization) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.uri() + path)).method(method, body);
        if (type != null) {
            b.header("Content-Type", type);
        }
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void assertClientError(HttpResponse<String> res, String what) throws Exception {
        int status = res.statusCode();
        assertTrue(status >= 400 && status < 500, what + " gave " + status + ": " + res.body());
        JsonNode body = Json.lenient().readTree(res.body());
        assertFalse(body.path("error").asText().isEmpty(), what + " lacks error: " + res.body());
        assertFalse(body.path("message").asText().isEmpty(), what + " lacks message: " + res.body());
        assertFalse(res.body().contains("\tat "), what + " leaked a stack trace");
        assertFalse(res.body().contains("org.parley"), what + " leaked a class name: " + res.body());
    }

    @Provide
    Arbitrary<String> garbage() {
        return Arbitraries.oneOf(
                Arbitraries.strings().ofMaxLength(200),
                Arbitraries.strings().withChars("{}[]\":,0123456789abcdefnulltrue-+.eE ").ofMaxLength(120),
                Arbitraries.of("{", "[]", "null", "0", "\"x\"", "{\"handle\":null}", "{\"handle\":[]}",
                        "{\"handles\":[]}", "{\"handles\":[\"+1\"]}", "{\"timestamp\":1}",
                        "{\"timestamp\":1,\"messages\":[{\"deviceId\":1,\"registrationId\":1,\"type\":\"x\",\"content\":\"AA==\"}]}",
                        "{\"timestamp\":1,\"messages\":[{\"deviceId\":1,\"registrationId\":4242,\"type\":\"signal\",\"content\":\"!!\"}]}",
                        "{\"preKeys\":[{\"keyId\":-1,\"publicKey\":\"AA==\"}]}",
                        "{\"preKeys\":[{\"keyId\":1,\"publicKey\":\"BQ==\"}]}",
                        "{\"signedPreKey\":{\"keyId\":1,\"publicKey\":\"BQ==\",\"signature\":\"AA==\"}}",
                        "{\"sessionId\":\"x\",\"code\":\"1\",\"device\":{}}"));
    }

    @Property(tries = 150)
    void anyBody_toAnyEndpoint_isA4xxJsonError(@ForAll("garbage") String body, @ForAll boolean authenticated) throws Exception {
        for (String[] endpoint : ENDPOINTS) {
            String path = endpoint[1].replace("{self}", accountId);
            HttpResponse<String> res = send(endpoint[0], path, HttpRequest.BodyPublishers.ofString(body), "application/json",
                    authenticated ? auth : null);
            if (res.statusCode() == 200 || res.statusCode() == 204) {
                continue; // a random body can be valid, e.g. an empty key upload
            }
            assertClientError(res, endpoint[0] + " " + endpoint[1] + " with " + body);
        }
    }

    @Property(tries = 40)
    void garbagePathParameters_areA4xxJsonError(@ForAll("pathJunk") String junk) throws Exception {
        for (String path : List.of("/v1/directory/" + junk, "/v1/keys/" + junk + "/1", "/v1/keys/" + accountId + "/" + junk)) {
            HttpResponse<String> res = send("GET", path, HttpRequest.BodyPublishers.noBody(), null, auth);
            if (res.statusCode() == 200) {
                continue;
            }
            assertClientError(res, "GET " + path);
        }
    }

    @Property(tries = 40)
    void garbageQueries_toOperatorEndpoints_areA4xxJsonError(@ForAll("pathJunk") String junk) throws Exception {
        String bearer = "Bearer " + java.nio.file.Files.readString(server.config().http().dataDir().resolve("admin.token")).strip();
        // A client of its own: a query the server refuses before routing may close the connection,
        // which must not leave a dead connection in the pool the other properties share.
        try (HttpClient own = HttpClient.newHttpClient()) {
            for (String path : List.of("/v1/admin/audit?after=" + junk, "/v1/admin/audit?limit=" + junk,
                    "/v1/admin/audit?" + junk + "=1", "/v1/admin/audit/verify?x=" + junk,
                    "/v1/admin/lookup-log?since=" + junk, "/v1/admin/lookup-log?handle=" + junk)) {
                HttpResponse<String> res = own.send(HttpRequest.newBuilder(URI.create(server.uri() + path))
                        .header("Authorization", bearer).GET().build(), HttpResponse.BodyHandlers.ofString());
                if (res.statusCode() == 200) {
                    continue;
                }
                assertClientError(res, "GET " + path);
            }
            HttpResponse<String> me = own.send(HttpRequest.newBuilder(URI.create(server.uri() + "/v1/me/data?" + junk))
                    .header("Authorization", auth).GET().build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, me.statusCode(), me.body());
        }
    }

    @Provide
    Arbitrary<String> pathJunk() {
        return Arbitraries.oneOf(
                Arbitraries.strings().withChars("abcxyz019+@.-_~").ofMinLength(1).ofMaxLength(40),
                Arbitraries.of("%2B12025550100", "%00", "%FF%FE", "a%20b", "*", "%2F..%2F", "-1", "99999999999", "0"));
    }

    @Property(tries = 3)
    void oversizedBody_is413Json(@ForAll boolean authenticated) throws Exception {
        byte[] big = new byte[6 * 1024 * 1024];
        java.util.Arrays.fill(big, (byte) 'a');
        // Expect: 100-continue, as a careful client sends a large body: the server can refuse on the
        // headers alone, and the client does not race a refusal while still writing 6 MiB (which
        // showed up as a reset connection instead of the 413 under load).
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.uri() + "/v1/messages/" + accountId))
                .expectContinue(true)
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(big));
        if (authenticated) {
            b.header("Authorization", auth);
        }
        HttpResponse<String> res = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        assertClientError(res, "6 MiB body");
    }

    @Property(tries = 3)
    void wrongContentType_is415Json(@ForAll boolean authenticated) throws Exception {
        HttpResponse<String> res = send("POST", "/v1/directory/lookup", HttpRequest.BodyPublishers.ofString("handles=x"),
                "application/x-www-form-urlencoded", authenticated ? auth : null);
        assertClientError(res, "form body");
    }
}
