// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.legal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.protocol.Json;
import org.parley.protocol.LegalReason;
import org.parley.protocol.oprf.Oprf;
import org.parley.protocol.oprf.PrivateLookupKeys;
import org.parley.server.testing.TestHttp;

/**
 * Private lookups' bucket fetches in the legal workflow, on the whole real server: a production of
 * the lookups a target made holds them (what is disclosed equals what the log holds for that scope),
 * a production of the lookups of a target cannot hold them and its cover statement says so, and the
 * retention purge and account deletion keep exactly what a preservation hold covers, as for plain
 * lookups. Before, bucket fetches were in no production and the purge ignored holds on them.
 */
class PrivateLookupDisclosureTest {
    private static final String BASE = "/v1/admin/legal/requests";

    @TempDir
    java.nio.file.Path dir;

    private final Oprf oprf = Oprf.p256Sha256();
    private final SecureRandom random = new SecureRandom();
    private LegalTestServer s;
    private String admin;
    private String rita;
    private LegalTestServer.Device bob;
    private LegalTestServer.Device carol;

    @BeforeEach
    void start() {
        s = new LegalTestServer(dir, c -> c);
        admin = s.adminToken();
        rita = s.token("rita", "legal-reviewer");
        bob = s.register("bob@example.org");
        carol = s.register("+12025550143");
        // 2026-11-27: Bob looks Carol up privately and plainly; Carol looks Bob up privately.
        privateLookup("+12025550143", bob);
        TestHttp.ok(s.send("GET", "/v1/directory/%2B12025550143", null, bob.auth()));
        privateLookup("bob@example.org", carol);
    }

    @AfterEach
    void stop() {
        s.close();
    }

    @Test
    void produce_lookupsByTarget_holdsItsBucketFetches_lookupsOfTarget_saysPrivateOnesAreNotRecorded() throws Exception {
        long order = register("court-order", List.of("lookup-log-by-target", "lookup-log-of-target"));
        TestHttp.ok(s.op("POST", BASE + "/" + order + "/approve", null, rita));
        TestHttp.ok(s.op("POST", BASE + "/" + order + "/produce", null, rita));
        Map<String, byte[]> files = LegalRegisterApiTest.unzip(s.bytes(BASE + "/" + order + "/package", admin).body());

        JsonNode by = Json.lenient().readTree(files.get("lookup-log-by-target.json"));
        // Exactly what the log holds for the scope: both of Bob's entries, one of each kind.
        JsonNode logged = TestHttp.ok(s.op("GET", "/v1/admin/lookup-log?requester=bob@example.org", null, admin));
        assertEquals(logged.get("entries").size(), by.size(), by.toString());
        // The server clock stands still here: one millisecond, and plain entries sort first within it.
        assertEquals(List.of("plain", "private"), kinds(by));
        JsonNode fetch = by.get(1);
        assertTrue(fetch.get("queriedHandle").isNull(), fetch.toString());
        assertEquals(bob.accountId(), fetch.get("requesterAccountId").asText());
        assertEquals(logged.get("entries").get(1).get("keyId").asText(), fetch.get("bucketKeyId").asText());
        String csv = new String(files.get("lookup-log-by-target.csv"), StandardCharsets.UTF_8);
        assertTrue(csv.startsWith("id,time,requesterAccountId,requesterDeviceId,queriedHandle,route,clientIp,kind,"
                + "bucketKeyId,bucketPrefixBits,bucket\r\n"), csv);

        // Carol's private lookup of Bob exists, but as a bucket fetch that names no handle: it is not "of" Bob.
        assertEquals(0, Json.lenient().readTree(files.get("lookup-log-of-target.json")).size());
        // The statement is wrapped for reading: compare its words, not its line breaks.
        String cover = new String(files.get("cover-statement.txt"), StandardCharsets.UTF_8).replaceAll("\\s+", " ");
        assertTrue(cover.contains("2 record(s), of which 1 private lookup(s)"), cover);
        assertTrue(cover.contains("private lookups of the target handles are not recorded as such"), cover);
        assertTrue(cover.contains("(lookup.mode both)"), cover);
    }

    @Test
    void purgeAndDeletion_keepTheBucketFetchesAHoldCovers_thenTakeThemOnRelease() throws Exception {
        long hold = register("preservation", List.of("lookup-log-by-target"));
        assertEquals(List.of("plain", "private", "private"), kinds(log("")));

        // Past the retention (P30D): Carol's bucket fetch goes; Bob's, under the hold, stays with his plain lookup.
        s.clock.advance(Duration.ofDays(31));
        s.server.purgeNow();
        assertEquals(List.of("plain", "private"), kinds(log("?requester=bob@example.org")));
        assertEquals(List.of(), kinds(log("?requester=%2B12025550143")));

        // Deleting Bob's account keeps the held entries, which a request about the former handle still finds.
        assertEquals(204, s.send("DELETE", "/v1/accounts/me", null, bob.auth()).statusCode());
        assertEquals(List.of("plain", "private"), kinds(log("?requester=bob@example.org")));

        TestHttp.ok(s.op("POST", BASE + "/" + hold + "/hold/release", new LegalReason("authority withdrew"), rita));
        s.server.purgeNow();
        assertEquals(List.of(), kinds(log("")));
    }

    @Test
    void deletion_withoutAHold_forgetsTheBucketFetchesTheAccountMade() {
        assertEquals(204, s.send("DELETE", "/v1/accounts/me", null, carol.auth()).statusCode());
        assertEquals(List.of("plain", "private"), kinds(log("")), "Bob's entries are his, and stay");
    }

    private long register(String type, List<String> categories) {
        return s.registerRequest(admin, type, categories);
    }

    private JsonNode log(String query) {
        return TestHttp.ok(s.op("GET", "/v1/admin/lookup-log" + query, null, admin)).get("entries");
    }

    private static List<String> kinds(JsonNode entries) {
        List<String> out = new ArrayList<>();
        entries.forEach(e -> out.add(e.get("kind").asText()));
        return out;
    }

    /** The client's side of a private lookup (blind, evaluate, fetch the bucket); the bucket fetch is what is logged. */
    private void privateLookup(String handle, LegalTestServer.Device who) {
        byte[] input = handle.getBytes(StandardCharsets.UTF_8);
        Oprf.Blinded blinded = oprf.blind(input, random);
        JsonNode evaluated = TestHttp.ok(s.send("POST", "/v1/private-lookup/evaluate", Map.of("blindedElements",
                List.of(Base64.getEncoder().encodeToString(blinded.blindedElement()))), who.auth()));
        byte[] output = oprf.finalizeOutput(input, blinded,
                Base64.getDecoder().decode(evaluated.get("evaluatedElements").get(0).asText()));
        int bits = evaluated.get("prefixBits").asInt();
        int prefix = PrivateLookupKeys.bucketOf(PrivateLookupKeys.bucketHash(output), bits);
        TestHttp.ok(s.send("GET", "/v1/private-lookup/buckets/" + evaluated.get("keyId").asText() + "/" + bits + "/"
                + prefix, null, who.auth()));
    }
}
