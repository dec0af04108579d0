// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.keys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.protocol.KeyUploadRequest;
import org.parley.protocol.PreKey;
import org.parley.protocol.SignedPreKey;
import org.parley.server.testing.AccountsTestKeys;
import org.parley.server.testing.AccountsTestServer;
import org.parley.server.testing.AccountsTestServer.Device;

class KeysFeatureTest {
    @TempDir
    Path dir;
    AccountsTestServer server;
    Device alice;
    Device bob;

    @BeforeEach
    void start() {
        server = AccountsTestServer.start(dir);
        alice = server.register("alice@example.org");
        bob = server.register("bob@example.org");
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private HttpResponse<String> upload(Device device, KeyUploadRequest request) {
        return server.put("/v1/keys", request, device.auth());
    }

    private JsonNode counts(Device device) {
        return AccountsTestServer.ok(server.get("/v1/keys", device.auth()));
    }

    private JsonNode fetch(Device target, String deviceSelector) {
        return AccountsTestServer.ok(server.get("/v1/keys/" + target.accountId() + "/" + deviceSelector, alice.auth()));
    }

    private static String b64(byte[] bytes) {
        return Base64.getEncoder().encodeToString(bytes);
    }

    @Test
    void upload_validKeys_204AndCounted() {
        HttpResponse<String> response = upload(bob, new KeyUploadRequest(
                List.of(AccountsTestKeys.ec(1), AccountsTestKeys.ec(2)),
                List.of(bob.keys().signedKyber(1)), bob.keys().signedEc(2), bob.keys().signedKyber(2)));
        assertEquals(204, response.statusCode(), response.body());
        JsonNode counts = counts(bob);
        assertEquals(2, counts.get("preKeys").asInt());
        assertEquals(1, counts.get("pqPreKeys").asInt());
    }

    @Test
    void upload_sameKeyIdAgain_replacesTheKey() {
        PreKey first = AccountsTestKeys.ec(5);
        PreKey replacement = AccountsTestKeys.ec(5);
        assertEquals(204, upload(bob, new KeyUploadRequest(List.of(first), null, null, null)).statusCode());
        assertEquals(204, upload(bob, new KeyUploadRequest(List.of(replacement), null, null, null)).statusCode());
        assertEquals(1, counts(bob).get("preKeys").asInt());
        assertEquals(b64(replacement.publicKey()), fetch(bob, "1").get("devices").get(0).get("preKey").get("publicKey").asText());
    }

    @Test
    void upload_badSignatureOnEachSignedKind_422NamingTheKey() {
        SignedPreKey strangerEc = AccountsTestKeys.signedByStranger(bob.keys().signedEc(3));
        SignedPreKey strangerKyber = AccountsTestKeys.signedByStranger(bob.keys().signedKyber(3));
        assertInvalidSignature(new KeyUploadRequest(null, null, strangerEc, null), "signedPreKey");
        assertInvalidSignature(new KeyUploadRequest(null, null, null, strangerKyber), "pqLastResortPreKey");
        assertInvalidSignature(new KeyUploadRequest(null, List.of(bob.keys().signedKyber(1), strangerKyber), null, null),
                "pqPreKeys[1]");
        // All or nothing: the good key in the refused request was not stored either.
        assertEquals(0, counts(bob).get("pqPreKeys").asInt());
    }

    @Test
    void upload_keyThatIsNotACurve25519Key_400() {
        PreKey garbage = new PreKey(1, new byte[] {5, 1, 2, 3});
        HttpResponse<String> response = upload(bob, new KeyUploadRequest(List.of(garbage), null, null, null));
        assertEquals(400, response.statusCode());
        assertTrue(AccountsTestServer.parse(response).get("message").asText().contains("preKeys[0]"));
        // A Kyber key where a Curve25519 key belongs.
        SignedPreKey kyber = bob.keys().signedKyber(9);
        assertEquals(400, upload(bob, new KeyUploadRequest(null, null, kyber, null)).statusCode());
    }

    @Test
    void upload_moreThan100Keys_400() {
        // Built by hand: the protocol record itself refuses to hold 101 keys.
        String json = "{\"preKeys\":[" + String.join(",", IntStream.range(0, 101)
                .mapToObj(i -> "{\"keyId\":" + i + ",\"publicKey\":\"AQ==\"}").toList()) + "]}";
        HttpResponse<String> response = server.send("PUT", "/v1/keys", json, bob.auth());
        assertEquals(400, response.statusCode(), response.body());
    }

    @Test
    void fetch_consumesOneTimeKeysThenFallsBackToLastResort() {
        SignedPreKey lastResort = bob.keys().signedKyber(50);
        SignedPreKey pqOneTime = bob.keys().signedKyber(8);
        PreKey ecOneTime = AccountsTestKeys.ec(7);
        assertEquals(204, upload(bob, new KeyUploadRequest(List.of(ecOneTime), List.of(pqOneTime), null, lastResort)).statusCode());

        JsonNode first = fetch(bob, "1");
        assertEquals(bob.accountId(), first.get("accountId").asText());
        JsonNode device = first.get("devices").get(0);
        assertEquals(1, device.get("deviceId").asInt());
        assertEquals(4711, device.get("registrationId").asInt());
        assertEquals(b64(bob.keys().identityKey()), device.get("identityKey").asText());
        assertEquals(1, device.get("signedPreKey").get("keyId").asInt());
        assertEquals(7, device.get("preKey").get("keyId").asInt());
        assertEquals(b64(ecOneTime.publicKey()), device.get("preKey").get("publicKey").asText());
        assertEquals(8, device.get("pqPreKey").get("keyId").asInt());
        assertEquals(b64(pqOneTime.signature()), device.get("pqPreKey").get("signature").asText());
        assertEquals(0, counts(bob).get("preKeys").asInt());
        assertEquals(0, counts(bob).get("pqPreKeys").asInt());

        for (int i = 0; i < 2; i++) {
            JsonNode later = fetch(bob, "*").get("devices").get(0);
            assertFalse(later.has("preKey"), "preKey is absent once the device ran out");
            assertEquals(50, later.get("pqPreKey").get("keyId").asInt());
            assertEquals(b64(lastResort.publicKey()), later.get("pqPreKey").get("publicKey").asText());
        }
    }

    @Test
    void fetch_seventhOfTheSamePairInTenMinutes_429WithRetryAfter_otherPairsUnaffected() {
        for (int i = 0; i < KeyFetchLimit.MAX_FETCHES; i++) {
            assertEquals(200, server.get("/v1/keys/" + bob.accountId() + "/1", alice.auth()).statusCode());
            server.clock.advance(java.time.Duration.ofMinutes(1));
        }
        HttpResponse<String> refused = server.get("/v1/keys/" + bob.accountId() + "/*", alice.auth());
        assertEquals(429, refused.statusCode(), refused.body());
        assertEquals("rate_limited", AccountsTestServer.parse(refused).get("error").asText());
        // The first fetch was 6 minutes ago: it leaves the 10-minute window in 4 minutes.
        assertEquals("240", refused.headers().firstValue("Retry-After").orElseThrow());
        // Another requester, and the reverse direction, have their own counts.
        Device carol = server.register("carol@example.org");
        assertEquals(200, server.get("/v1/keys/" + bob.accountId() + "/1", carol.auth()).statusCode());
        assertEquals(200, server.get("/v1/keys/" + alice.accountId() + "/1", bob.auth()).statusCode());

        server.clock.advance(java.time.Duration.ofMinutes(4));
        assertEquals(200, server.get("/v1/keys/" + bob.accountId() + "/1", alice.auth()).statusCode());
        assertEquals(429, server.get("/v1/keys/" + bob.accountId() + "/1", alice.auth()).statusCode());
    }

    @Test
    void upload_pastTwoHundredOneTimeKeys_400AndNothingStored() {
        for (int batch = 0; batch < 2; batch++) {
            List<PreKey> ec = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                ec.add(AccountsTestKeys.ec(batch * 100 + i));
            }
            assertEquals(204, upload(bob, new KeyUploadRequest(ec, null, null, null)).statusCode());
        }
        HttpResponse<String> refused = upload(bob, new KeyUploadRequest(List.of(AccountsTestKeys.ec(500)), null, null, null));
        assertEquals(400, refused.statusCode(), refused.body());
        assertEquals("invalid_request", AccountsTestServer.parse(refused).get("error").asText());
        assertTrue(AccountsTestServer.parse(refused).get("message").asText().contains("200"));
        assertEquals(200, counts(bob).get("preKeys").asInt());
    }

    @Test
    void fetch_unknownAccountOrDevice_404() {
        assertEquals(404, server.get("/v1/keys/5b0c0000-0000-4000-8000-000000000000/*", alice.auth()).statusCode());
        assertEquals(404, server.get("/v1/keys/" + bob.accountId() + "/2", alice.auth()).statusCode());
    }

    @Test
    void fetch_deviceIdNotANumber_400() {
        assertEquals(400, server.get("/v1/keys/" + bob.accountId() + "/one", alice.auth()).statusCode());
        assertEquals(400, server.get("/v1/keys/" + bob.accountId() + "/-1", alice.auth()).statusCode());
    }

    @Test
    void keys_withoutCredentials_401() {
        assertEquals(401, server.get("/v1/keys/" + bob.accountId() + "/1", null).statusCode());
        assertEquals(401, server.put("/v1/keys", new KeyUploadRequest(null, null, null, null), null).statusCode());
    }

    @Test
    void fetch_concurrently_neverHandsOutAOneTimeKeyTwice() throws Exception {
        List<PreKey> ec = new ArrayList<>();
        List<SignedPreKey> pq = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            ec.add(AccountsTestKeys.ec(i));
            pq.add(bob.keys().signedKyber(i));
        }
        assertEquals(204, upload(bob, new KeyUploadRequest(ec, pq, null, bob.keys().signedKyber(1000))).statusCode());

        int threads = 8;
        int perThread = KeyFetchLimit.MAX_FETCHES;
        // One requesting device per thread: each pair stays within the key-fetch limit.
        List<Device> requesters = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            requesters.add(server.register("fetcher" + t + "@example.org"));
        }
        List<Integer> ecIds = java.util.Collections.synchronizedList(new ArrayList<>());
        List<Integer> pqIds = java.util.Collections.synchronizedList(new ArrayList<>());
        try (var executor = java.util.concurrent.Executors.newFixedThreadPool(threads)) {
            List<java.util.concurrent.Future<?>> futures = new ArrayList<>();
            java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
            for (int t = 0; t < threads; t++) {
                Device requester = requesters.get(t);
                futures.add(executor.submit(() -> {
                    go.await();
                    for (int i = 0; i < perThread; i++) {
                        JsonNode device = AccountsTestServer.ok(server.get("/v1/keys/" + bob.accountId() + "/1",
                                requester.auth())).get("devices").get(0);
                        if (device.has("preKey")) {
                            ecIds.add(device.get("preKey").get("keyId").asInt());
                        }
                        pqIds.add(device.get("pqPreKey").get("keyId").asInt());
                    }
                    return null;
                }));
            }
            go.countDown();
            for (var f : futures) {
                f.get();
            }
        }
        // 48 fetches for 40 keys of each kind: every one-time key exactly once, then the last resort.
        assertEquals(40, ecIds.size());
        assertEquals(40, new java.util.HashSet<>(ecIds).size());
        List<Integer> oneTimePq = pqIds.stream().filter(id -> id != 1000).toList();
        assertEquals(40, oneTimePq.size());
        assertEquals(40, new java.util.HashSet<>(oneTimePq).size());
        assertEquals(8, pqIds.size() - oneTimePq.size());
    }

    private void assertInvalidSignature(KeyUploadRequest request, String key) {
        HttpResponse<String> response = upload(bob, request);
        assertEquals(422, response.statusCode(), response.body());
        JsonNode body = AccountsTestServer.parse(response);
        assertEquals("invalid_signature", body.get("error").asText());
        assertTrue(body.get("message").asText().contains(key), body.get("message").asText());
    }
}
