// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.privatelookup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.protocol.Json;
import org.parley.protocol.RegistrationRequest;
import org.parley.protocol.oprf.Oprf;
import org.parley.protocol.oprf.PrivateLookupKeys;
import org.parley.server.ParleyServer;
import org.parley.server.config.ConfigLoader;
import org.parley.server.testing.AccountsTestKeys;
import org.parley.server.testing.DataFiles;
import org.parley.server.testing.LogCapture;

/**
 * The private lookup through the real server: a client-side OPRF flow (the protocol module's, as the
 * client uses it) finds registered handles and misses unknown ones, and afterwards nothing the server
 * stored or logged holds the handle looked up, a SHA-256 of it or its hash-to-curve point.
 */
class PrivateLookupEndToEndTest {
    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newHttpClient();
    private final Oprf oprf = Oprf.p256Sha256();
    private final SecureRandom random = new SecureRandom();
    private ParleyServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private void start(Map<String, String> env) {
        server = ParleyServer.start(ConfigLoader.load(null, env).withHttp("127.0.0.1", 0, dir), java.time.Clock.systemUTC());
    }

    private HttpResponse<String> send(String method, String path, Object body, String auth) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(server.uri().resolve(path));
        if (auth != null) {
            b.header("Authorization", auth);
        }
        if (body == null) {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            b.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofByteArray(Json.strict().writeValueAsBytes(body)));
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode ok(HttpResponse<String> response) throws Exception {
        assertEquals(200, response.statusCode(), response.body());
        return Json.lenient().readTree(response.body());
    }

    /** Registers through the development sender's code file; returns {accountId, Basic auth}. */
    private String[] register(String handle) throws Exception {
        JsonNode session = ok(send("POST", "/v1/verification/sessions", Map.of("handle", handle), null));
        String code = Files.readString(dir.resolve("dev-codes").resolve(handle)).strip();
        AccountsTestKeys keys = new AccountsTestKeys();
        JsonNode account = ok(send("POST", "/v1/accounts",
                new RegistrationRequest(session.get("sessionId").asText(), code, keys.registration(4711)), null));
        String id = account.get("accountId").asText();
        return new String[] {id, keys.basic(id, 1)};
    }

    /** The client's side: blind, evaluate, finalize, fetch the bucket, match the tag; null when not found. */
    private String privateLookup(String handle, String auth) throws Exception {
        byte[] input = handle.getBytes(StandardCharsets.UTF_8);
        Oprf.Blinded blinded = oprf.blind(input, random);
        JsonNode evaluated = ok(send("POST", "/v1/private-lookup/evaluate", Map.of("blindedElements",
                List.of(Base64.getEncoder().encodeToString(blinded.blindedElement()))), auth));
        byte[] output = oprf.finalizeOutput(input, blinded,
                Base64.getDecoder().decode(evaluated.get("evaluatedElements").get(0).asText()));
        int bits = evaluated.get("prefixBits").asInt();
        int prefix = PrivateLookupKeys.bucketOf(PrivateLookupKeys.bucketHash(output), bits);
        JsonNode bucket = ok(send("GET", "/v1/private-lookup/buckets/" + evaluated.get("keyId").asText() + "/"
                + bits + "/" + prefix, null, auth));
        byte[] tag = PrivateLookupKeys.tag(output);
        for (JsonNode e : bucket.get("entries")) {
            if (PrivateLookupKeys.sameTag(tag, Base64.getDecoder().decode(e.get("tag").asText()))) {
                return PrivateLookupKeys.open(output, Base64.getDecoder().decode(e.get("pointer").asText())).accountId();
            }
        }
        return null;
    }

    @Test
    void privateLookup_findsRegisteredHandles_andLeavesNoTraceOfTheHandleLookedUp() throws Exception {
        String unknown = "+12025550177";
        String guessed = "carol@example.org";
        try (LogCapture logs = LogCapture.atLeast(Level.ALL)) {
            start(Map.of());
            String[] alice = register("+12025550143");
            String[] bob = register("bob@example.org");

            assertEquals(bob[0], privateLookup("bob@example.org", alice[1]));
            assertEquals(alice[0], privateLookup("+12025550143", bob[1]));
            assertNull(privateLookup(unknown, alice[1]));
            assertNull(privateLookup(guessed, alice[1]));

            JsonNode config = ok(send("GET", "/v1/private-lookup/config", null, null));
            assertEquals("both", config.get("mode").asText());
            assertEquals(0, config.get("prefixBits").asInt(), "two accounts: one bucket");

            String policy = ok(send("GET", "/.well-known/parley/policy", null, null)).toString();
            assertTrue(policy.contains("private-lookup-log"), policy);
            server.close();
            server = null;

            List<String> leaks = new ArrayList<>();
            for (String handle : List.of(unknown, guessed)) {
                byte[] input = handle.getBytes(StandardCharsets.UTF_8);
                byte[] sha = MessageDigest.getInstance("SHA-256").digest(input);
                byte[] point = oprf.inputElement(input);
                List<byte[]> needles = List.of(input, HexFormat.of().formatHex(sha).getBytes(StandardCharsets.UTF_8),
                        Base64.getEncoder().encodeToString(sha).getBytes(StandardCharsets.UTF_8), sha, point,
                        DataFiles.window(point, 1, 32),
                        Base64.getEncoder().encodeToString(point).getBytes(StandardCharsets.UTF_8),
                        HexFormat.of().formatHex(point).getBytes(StandardCharsets.UTF_8));
                for (byte[] needle : needles) {
                    for (Path f : DataFiles.containing(dir, needle)) {
                        leaks.add(handle + " in " + f);
                    }
                    String text = new String(needle, StandardCharsets.ISO_8859_1);
                    if (logs.describe().contains(text)) {
                        leaks.add(handle + " in the application log");
                    }
                }
            }
            assertTrue(leaks.isEmpty(), String.join("\n", leaks));
        }
    }

    @Test
    void theLookupLog_recordsTheBucketNotTheHandle() throws Exception {
        start(Map.of());
        String[] alice = register("+12025550143");
        register("bob@example.org");
        privateLookup("bob@example.org", alice[1]);
        PrivateLookupStore store = new JdbcPrivateLookupStore(server.database());
        List<PrivateLookupStore.LogRow> rows = store.log(10);
        assertEquals(1, rows.size());
        assertEquals(alice[0], rows.getFirst().requesterAccountId());
        assertEquals(0, rows.getFirst().prefixBits());
        assertEquals("127.0.0.1", rows.getFirst().clientIp());
        String token = "Bearer " + Files.readString(dir.resolve("admin.token")).strip();
        JsonNode page = ok(send("GET", "/v1/admin/lookup-log", null, token));
        assertEquals(1, page.get("entries").size(), page.toString());
        JsonNode entry = page.get("entries").get(0);
        assertEquals("private", entry.get("kind").asText());
        assertEquals("+12025550143", entry.get("requesterHandle").asText());
        assertEquals(rows.getFirst().keyId(), entry.get("keyId").asText());
        assertEquals(0, entry.get("prefixBits").asInt());
        assertEquals(0, entry.get("bucket").asInt());
        assertTrue(entry.get("queriedHandle").isNull(), "the server never learned the handle");
        assertTrue(entry.get("route").isNull());
        assertTrue(page.get("note").isNull());
        // Filtered by requester the fetch is found; filtered by the handle looked up it cannot be, and the answer says so.
        assertEquals(1, ok(send("GET", "/v1/admin/lookup-log?requester=%2B12025550143", null, token)).get("entries").size());
        JsonNode byHandle = ok(send("GET", "/v1/admin/lookup-log?handle=bob@example.org", null, token));
        assertTrue(byHandle.get("entries").isEmpty(), byHandle.toString());
        assertTrue(byHandle.get("note").asText().startsWith("plain lookups only"), byHandle.toString());
    }

    @Test
    void meData_carriesTheAccountsOwnPrivateLookupsAndSealedSenderSetting_neverTheKey() throws Exception {
        start(Map.of());
        String[] alice = register("+12025550143");
        String[] bob = register("bob@example.org");
        privateLookup("bob@example.org", alice[1]);
        byte[] key = new byte[16];
        random.nextBytes(key);
        assertEquals(204, send("PUT", "/v1/me/access-key", Map.of("accessKey", key, "unrestricted", false), alice[1])
                .statusCode());

        HttpResponse<String> raw = send("GET", "/v1/me/data", null, alice[1]);
        JsonNode mine = ok(raw);
        assertEquals(1, mine.get("privateLookups").size(), mine.toString());
        JsonNode fetch = mine.get("privateLookups").get(0);
        assertEquals(1, fetch.get("deviceId").asInt());
        assertEquals(0, fetch.get("prefixBits").asInt());
        assertEquals("127.0.0.1", fetch.get("clientIp").asText());
        assertTrue(mine.get("lookups").isEmpty(), "no plain lookup was made");
        assertTrue(mine.get("sealedSender").get("accessKeySet").asBoolean());
        assertFalse(mine.get("sealedSender").get("unrestricted").asBoolean());
        assertFalse(raw.body().contains(Base64.getEncoder().encodeToString(key)), "the key itself is never shown");
        assertFalse(raw.body().contains("bob@example.org"), "the handle looked up was never known to the server");

        JsonNode bobs = ok(send("GET", "/v1/me/data", null, bob[1]));
        assertTrue(bobs.get("privateLookups").isEmpty(), "Alice's lookups are not Bob's");
        assertFalse(bobs.get("sealedSender").get("accessKeySet").asBoolean());
    }

    @Test
    void accountDeletion_forgetsTheBucketFetchesTheAccountMade() throws Exception {
        start(Map.of());
        String[] alice = register("+12025550143");
        String[] bob = register("bob@example.org");
        privateLookup("+12025550143", bob[1]);
        privateLookup("bob@example.org", alice[1]);
        assertEquals(204, send("DELETE", "/v1/accounts/me", null, bob[1]).statusCode());
        PrivateLookupStore store = new JdbcPrivateLookupStore(server.database());
        List<PrivateLookupStore.LogRow> rows = store.log(10);
        assertEquals(List.of(alice[0]), rows.stream().map(PrivateLookupStore.LogRow::requesterAccountId).toList());
    }

    @Test
    void aRestart_rebuildsTheTableFromTheAccounts_underTheSameKey() throws Exception {
        start(Map.of());
        String[] alice = register("+12025550143");
        String[] bob = register("bob@example.org");
        String keyId = ok(send("GET", "/v1/private-lookup/config", null, null)).get("currentKeyId").asText();
        server.close();
        start(Map.of());
        assertEquals(keyId, ok(send("GET", "/v1/private-lookup/config", null, null)).get("currentKeyId").asText());
        assertEquals(bob[0], privateLookup("bob@example.org", alice[1]));
    }

    @Test
    void aDeletedAccount_leavesTheBuckets_andItsHandleCanRegisterAnew() throws Exception {
        start(Map.of());
        String[] alice = register("+12025550143");
        String[] bob = register("bob@example.org");
        assertEquals(bob[0], privateLookup("bob@example.org", alice[1]));
        assertEquals(204, send("DELETE", "/v1/accounts/me", null, bob[1]).statusCode());
        assertNull(privateLookup("bob@example.org", alice[1]));
        String[] newBob = register("bob@example.org");
        assertEquals(newBob[0], privateLookup("bob@example.org", alice[1]));
    }

    @Test
    void theDailyQuota_stopsAnEnumerationRun() throws Exception {
        start(Map.of("PARLEY_DIRECTORY_MAX_DISTINCT_HANDLES_PER_DAY", "5"));
        String[] alice = register("+12025550143");
        int answered = 0;
        HttpResponse<String> refused = null;
        for (int i = 0; i < 50 && refused == null; i++) {
            byte[] guess = ("+1202555" + String.format("%04d", i)).getBytes(StandardCharsets.UTF_8);
            HttpResponse<String> r = send("POST", "/v1/private-lookup/evaluate", Map.of("blindedElements",
                    List.of(Base64.getEncoder().encodeToString(oprf.blind(guess, random).blindedElement()))), alice[1]);
            if (r.statusCode() == 200) {
                answered++;
            } else {
                refused = r;
            }
        }
        assertEquals(5, answered);
        assertEquals(429, refused.statusCode());
        assertTrue(refused.headers().firstValue("Retry-After").isPresent());
        assertEquals("rate_limited", Json.lenient().readTree(refused.body()).get("error").asText(), refused.body());
    }

    @Test
    void privateMode_refusesThePlainLookup_andPublishesItsMode() throws Exception {
        start(Map.of("PARLEY_LOOKUP_MODE", "private"));
        String[] alice = register("+12025550143");
        String[] bob = register("bob@example.org");
        HttpResponse<String> single = send("GET", "/v1/directory/bob%40example.org", null, alice[1]);
        assertEquals(403, single.statusCode());
        assertEquals("plain_lookup_disabled", Json.lenient().readTree(single.body()).get("error").asText());
        HttpResponse<String> batch = send("POST", "/v1/directory/lookup",
                Map.of("handles", List.of("bob@example.org")), alice[1]);
        assertEquals(403, batch.statusCode());
        assertEquals("private", ok(send("GET", "/v1/private-lookup/config", null, null)).get("mode").asText());
        assertEquals(bob[0], privateLookup("bob@example.org", alice[1]));
    }

    @Test
    void plainMode_refusesThePrivateLookup() throws Exception {
        start(Map.of("PARLEY_LOOKUP_MODE", "plain"));
        String[] alice = register("+12025550143");
        HttpResponse<String> r = send("POST", "/v1/private-lookup/evaluate", Map.of("blindedElements",
                List.of(Base64.getEncoder().encodeToString(oprf.blind(new byte[] {1}, random).blindedElement()))),
                alice[1]);
        assertEquals(403, r.statusCode());
        assertFalse(r.body().contains("Exception"));
    }

    @Test
    void garbageElements_areAJson400() throws Exception {
        start(Map.of());
        String[] alice = register("+12025550143");
        HttpResponse<String> r = send("POST", "/v1/private-lookup/evaluate",
                Map.of("blindedElements", List.of(Base64.getEncoder().encodeToString(new byte[33]))), alice[1]);
        assertEquals(400, r.statusCode(), r.body());
        assertEquals(404, send("GET", "/v1/private-lookup/buckets/nokey/0/0", null, alice[1]).statusCode(),
                "an unknown key");
        assertEquals(400, send("GET", "/v1/private-lookup/buckets/nokey/x/0", null, alice[1]).statusCode());
    }
}
