// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.legal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.PublicKey;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.protocol.LegalIntakeRequest;
import org.parley.protocol.LegalReason;
import org.parley.server.audit.AuditEntry;
import org.parley.server.testing.TestHttp;

/** The register over HTTP on the whole real server: roles, the two-person rule, production, notices, report. */
class LegalRegisterApiTest {
    private static final String BASE = "/v1/admin/legal/requests";

    @TempDir
    java.nio.file.Path dir;

    private LegalTestServer s;
    private String admin;
    private String rita;
    private String rob;
    private String otto;
    private LegalTestServer.Device bob;
    private LegalTestServer.Device carol;

    @BeforeEach
    void start() {
        s = new LegalTestServer(dir, c -> c);
        admin = s.adminToken();
        rita = s.token("rita", "legal-reviewer");
        rob = s.token("rob", "legal-reviewer");
        otto = s.token("otto", "auditor");
        bob = s.register("bob@example.org");
        carol = s.register("+12025550143");
        // Carol looks Bob up, Bob looks Carol up: one entry of each direction.
        TestHttp.ok(s.send("GET", "/v1/directory/bob@example.org", null, carol.auth()));
        TestHttp.ok(s.send("GET", "/v1/directory/%2B12025550143", null, bob.auth()));
    }

    @AfterEach
    void stop() {
        s.close();
    }

    private static LegalIntakeRequest intake(String type, List<String> categories, String nonDisclosureUntil) {
        return new LegalIntakeRequest(type, "District Court, Example County", "CASE-2026-0042", "2026-11-27",
                List.of(" Bob@Example.org "), "2026-11-01", "2026-11-30", categories, nonDisclosureUntil,
                List.of("E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855"));
    }

    private long register(LegalIntakeRequest body, String token) {
        HttpResponse<String> r = s.op("POST", BASE, body, token);
        assertEquals(201, r.statusCode(), r.body());
        return TestHttp.parse(r).get("id").asLong();
    }

    @Test
    void roleBoundariesAndTheTwoPersonRule() {
        LegalIntakeRequest court = intake("court-order", List.of("subscriber"), null);
        assertEquals(401, s.op("POST", BASE, court, null).statusCode());
        assertEquals(403, s.op("POST", BASE, court, otto).statusCode(), "an auditor may not register requests");
        long id = register(court, rita);
        assertEquals(403, s.op("GET", BASE, null, otto).statusCode(), "the register names targets: not for auditors");
        assertEquals(403, s.op("GET", BASE + "/" + id, null, otto).statusCode());
        assertEquals(200, s.op("GET", BASE + "/" + id, null, admin).statusCode());

        HttpResponse<String> byAdmin = s.op("POST", BASE + "/" + id + "/approve", null, admin);
        assertEquals(403, byAdmin.statusCode());
        assertEquals("forbidden", TestHttp.parse(byAdmin).get("error").asText());
        HttpResponse<String> bySelf = s.op("POST", BASE + "/" + id + "/approve", null, rita);
        assertEquals(403, bySelf.statusCode());
        assertEquals("two_person_rule", TestHttp.parse(bySelf).get("error").asText());
        assertEquals(403, s.op("POST", BASE + "/" + id + "/approve", null, otto).statusCode());

        HttpResponse<String> early = s.op("POST", BASE + "/" + id + "/produce", null, admin);
        assertEquals(409, early.statusCode(), "only approved requests are produced");
        assertEquals(403, s.op("POST", BASE + "/" + id + "/produce", null, otto).statusCode());
        assertEquals(403, s.op("POST", BASE + "/" + id + "/reject", new LegalReason("no"), admin).statusCode(),
                "rejecting is a reviewer's decision");

        JsonNode approved = TestHttp.ok(s.op("POST", BASE + "/" + id + "/approve", null, rob));
        assertEquals("approved", approved.get("status").asText());
        assertEquals("rob", approved.get("decidedBy").asText());
        assertEquals(409, s.op("POST", BASE + "/" + id + "/approve", null, rob).statusCode(), "approved only once");
        assertEquals(403, s.bytes(BASE + "/" + id + "/package", otto).statusCode());
    }

    @Test
    void intakeNormalisesAndValidates() {
        long id = register(intake("subpoena", List.of("subscriber"), "2027-01-31"), admin);
        JsonNode stored = TestHttp.ok(s.op("GET", BASE + "/" + id, null, admin));
        assertEquals("bob@example.org", stored.get("handles").get(0).asText());
        assertEquals("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
                stored.get("documentSha256").get(0).asText());
        assertEquals("registered", stored.get("status").asText());
        assertEquals("admin", stored.get("registeredBy").asText());

        LegalIntakeRequest good = intake("subpoena", List.of("subscriber"), null);
        List<LegalIntakeRequest> bad = List.of(
                new LegalIntakeRequest("wiretap", good.authority(), good.reference(), good.received(), good.handles(),
                        good.from(), good.until(), good.categories(), null, null),
                new LegalIntakeRequest(good.type(), good.authority(), good.reference(), good.received(),
                        List.of("not a handle"), good.from(), good.until(), good.categories(), null, null),
                new LegalIntakeRequest(good.type(), good.authority(), good.reference(), good.received(), good.handles(),
                        "2026-12-01", "2026-11-01", good.categories(), null, null),
                new LegalIntakeRequest(good.type(), good.authority(), good.reference(), good.received(), good.handles(),
                        good.from(), good.until(), good.categories(), null, List.of("abc123")),
                new LegalIntakeRequest(good.type(), good.authority(), good.reference(), "27/11/2026", good.handles(),
                        good.from(), good.until(), good.categories(), null, null),
                new LegalIntakeRequest(good.type(), good.authority(), good.reference(), good.received(), good.handles(),
                        good.from(), good.until(), List.of("messages"), null, null),
                new LegalIntakeRequest(good.type(), " ", good.reference(), good.received(), good.handles(),
                        good.from(), good.until(), good.categories(), null, null),
                new LegalIntakeRequest(good.type(), good.authority(), good.reference(), "2026-11-28", good.handles(),
                        good.from(), good.until(), good.categories(), null, null));
        for (LegalIntakeRequest b : bad) {
            HttpResponse<String> r = s.op("POST", BASE, b, admin);
            assertEquals(400, r.statusCode(), r.body());
            assertTrue(TestHttp.parse(r).get("message").asText().length() > 5);
        }
        assertEquals(400, s.op("GET", BASE + "/abc", null, admin).statusCode());
        assertEquals(404, s.op("GET", BASE + "/999", null, admin).statusCode());
    }

    @Test
    void aRequestOutsideTheMatrixIsRejectedAtIntakeWithTheReasonStored() {
        HttpResponse<String> r = s.op("POST", BASE, intake("subpoena", List.of("subscriber", "lookup-log-by-target"), null), admin);
        assertEquals(422, r.statusCode(), r.body());
        JsonNode body = TestHttp.parse(r);
        assertEquals("outside_policy", body.get("error").asText());
        JsonNode stored = TestHttp.ok(s.op("GET", BASE + "/" + body.get("id").asLong(), null, admin));
        assertEquals("rejected", stored.get("status").asText());
        assertTrue(stored.get("reason").asText().contains("lookup-log-by-target"), stored.toString());
        assertEquals(409, s.op("POST", BASE + "/" + body.get("id").asLong() + "/approve", null, rita).statusCode());
        assertTrue(actions().contains("legal.intake-refused"));
    }

    @Test
    void rejectionIsRecordedWithItsReason() {
        long id = register(intake("court-order", List.of("subscriber"), null), admin);
        assertEquals(400, s.op("POST", BASE + "/" + id + "/reject", new LegalReason(" "), rita).statusCode());
        JsonNode rejected = TestHttp.ok(s.op("POST", BASE + "/" + id + "/reject",
                new LegalReason("order is not signed by a judge"), rita));
        assertEquals("rejected", rejected.get("status").asText());
        assertEquals("order is not signed by a judge", rejected.get("reason").asText());
        assertEquals("rita", rejected.get("decidedBy").asText());
        assertEquals(409, s.op("POST", BASE + "/" + id + "/approve", null, rob).statusCode());
        assertTrue(actions().contains("legal.reject"));
    }

    @Test
    void fullLifecycleProducesASignedPackageAndANoticeAfterTheGag() throws Exception {
        long id = register(intake("court-order", List.of("subscriber", "lookup-log-by-target", "lookup-log-of-target"),
                "2026-12-15"), admin);
        TestHttp.ok(s.op("POST", BASE + "/" + id + "/approve", null, rita));
        JsonNode produced = TestHttp.ok(s.op("POST", BASE + "/" + id + "/produce", null, rob));
        assertEquals("produced", produced.get("status").asText());
        assertEquals("produced-with-data", produced.get("outcome").asText());
        assertEquals(409, s.op("POST", BASE + "/" + id + "/produce", null, rob).statusCode(), "produced once");

        HttpResponse<byte[]> download = s.bytes(BASE + "/" + id + "/package", admin);
        assertEquals(200, download.statusCode());
        assertEquals(produced.get("packageSha256").asText(), DisclosurePackage.sha256(download.body()));
        Map<String, byte[]> files = unzip(download.body());

        // The signature verifies with the key the server publishes, and every listed hash matches.
        JsonNode published = TestHttp.ok(s.send("GET", "/.well-known/parley/legal-signing-key", null, null));
        PublicKey key = SigningKey.publicKeyFromPem(published.get("publicKeyPem").asText());
        assertTrue(SigningKey.verify(key, files.get("manifest.json"), files.get("manifest.sig")));
        assertEquals(published.get("publicKeyPem").asText(), new String(files.get("legal-signing-key.pem"), StandardCharsets.US_ASCII));
        JsonNode manifest = org.parley.protocol.Json.lenient().readTree(files.get("manifest.json"));
        for (JsonNode f : manifest.get("files")) {
            assertEquals(f.get("sha256").asText(), DisclosurePackage.sha256(files.get(f.get("name").asText())), f.toString());
        }
        assertEquals(files.size() - 2, manifest.get("files").size(), "every file but the manifest and signature is listed");
        byte[] tampered = files.get("manifest.json").clone();
        tampered[10] ^= 1;
        assertFalse(SigningKey.verify(key, tampered, files.get("manifest.sig")));

        // In-scope records only: Bob's subscriber record, his lookup of Carol, Carol's lookup of him.
        JsonNode subscriber = org.parley.protocol.Json.lenient().readTree(files.get("subscriber.json"));
        assertEquals(1, subscriber.size());
        assertEquals("bob@example.org", subscriber.get(0).get("handle").asText());
        assertEquals("2026-11-27", subscriber.get(0).get("devices").get(0).get("lastSeen").asText());
        JsonNode by = org.parley.protocol.Json.lenient().readTree(files.get("lookup-log-by-target.json"));
        assertEquals(1, by.size());
        assertEquals("+12025550143", by.get(0).get("queriedHandle").asText());
        JsonNode of = org.parley.protocol.Json.lenient().readTree(files.get("lookup-log-of-target.json"));
        assertEquals(1, of.size());
        assertEquals(carol.accountId(), of.get(0).get("requesterAccountId").asText());
        assertTrue(new String(files.get("lookup-log-of-target.csv"), StandardCharsets.UTF_8)
                .startsWith("id,time,requesterAccountId,requesterDeviceId,queriedHandle,route,clientIp,kind,bucketKeyId,"
                        + "bucketPrefixBits,bucket\r\n"));
        String cover = new String(files.get("cover-statement.txt"), StandardCharsets.UTF_8);
        assertTrue(cover.contains("end-to-end encrypted"), cover);
        assertTrue(cover.contains("older than P30D"), cover);
        assertTrue(cover.contains("does NOT show that any communication took place"), cover);

        // The package on disk is the server user's alone.
        var mode = Files.getPosixFilePermissions(dir.resolve("legal-packages").resolve("request-" + id + ".zip"));
        assertEquals(PosixFilePermissions.fromString("rw-------"), mode);
        assertEquals(PosixFilePermissions.fromString("rw-------"),
                Files.getPosixFilePermissions(dir.resolve("legal-signing-key.pem")));

        // Notices: nothing while the gag lasts (the whole named day), then one for Bob and none for Carol.
        assertEquals(0, TestHttp.ok(s.send("GET", "/v1/me/notices", null, bob.auth())).get("notices").size());
        s.clock.set(java.time.Instant.parse("2026-12-15T23:59:59Z"));
        assertEquals(0, TestHttp.ok(s.send("GET", "/v1/me/notices", null, bob.auth())).get("notices").size());
        s.clock.set(java.time.Instant.parse("2026-12-16T00:00:00Z"));
        JsonNode notices = TestHttp.ok(s.send("GET", "/v1/me/notices", null, bob.auth())).get("notices");
        assertEquals(1, notices.size());
        assertEquals("court-order", notices.get(0).get("type").asText());
        assertEquals("2026-11-27", notices.get(0).get("date").asText());
        assertEquals(3, notices.get(0).get("categories").size());
        assertEquals(0, TestHttp.ok(s.send("GET", "/v1/me/notices", null, carol.auth())).get("notices").size());
        assertEquals(401, s.send("GET", "/v1/me/notices", null, null).statusCode());
        // The same notice reaches the owner's data export through DisclosureNotices.
        JsonNode disclosures = TestHttp.ok(s.send("GET", "/v1/me/data", null, bob.auth())).get("disclosures");
        assertEquals(1, disclosures.size());
        assertEquals("court-order", disclosures.get(0).get("type").asText());

        List<String> actions = actions();
        for (String a : List.of("legal.intake", "legal.approve", "legal.read", "legal.produce", "legal.download")) {
            assertTrue(actions.contains(a), a + " missing from " + actions);
        }
    }

    /**
     * A package file whose bytes are not the recorded ones (what a node that lost a production race
     * to another node is left with) is never served.
     */
    @Test
    void aPackageFileOtherThanTheRecordedOneIsNotServed() throws Exception {
        long id = register(intake("court-order", List.of("subscriber"), "2026-12-15"), admin);
        TestHttp.ok(s.op("POST", BASE + "/" + id + "/approve", null, rita));
        TestHttp.ok(s.op("POST", BASE + "/" + id + "/produce", null, rob));
        Path file = dir.resolve("legal-packages").resolve("request-" + id + ".zip");
        byte[] other = Files.readAllBytes(file).clone();
        other[other.length / 2] ^= 1;
        Files.write(file, other);
        HttpResponse<byte[]> download = s.bytes(BASE + "/" + id + "/package", admin);
        assertEquals(404, download.statusCode());
        assertTrue(new String(download.body(), StandardCharsets.UTF_8).contains("another node"));
    }

    @Test
    void aPreservationHoldKeepsLookupsFromThePurgeUntilReleased() {
        // A preservation request for lookups of Bob: holds at intake, nothing to approve.
        long id = register(intake("preservation", List.of("lookup-log-of-target"), null), admin);
        JsonNode held = TestHttp.ok(s.op("GET", BASE + "/" + id, null, admin));
        assertEquals(1, held.get("holds").size());
        assertEquals("active", held.get("holds").get(0).get("state").asText());
        assertEquals(409, s.op("POST", BASE + "/" + id + "/approve", null, rita).statusCode());

        s.clock.advance(Duration.ofDays(31));
        s.server.purgeNow();
        assertEquals(List.of("bob@example.org"), loggedHandles(), "the held lookup of Bob survives, Carol's goes");

        TestHttp.ok(s.op("POST", BASE + "/" + id + "/hold/extend", null, admin));
        assertEquals(409, s.op("POST", BASE + "/" + id + "/hold/extend", null, admin).statusCode(), "extended once only");
        s.clock.advance(Duration.ofDays(100));
        s.server.purgeNow();
        assertEquals(List.of("bob@example.org"), loggedHandles(), "extended: 90 + 90 days");

        TestHttp.ok(s.op("POST", BASE + "/" + id + "/hold/release", new LegalReason("authority withdrew"), rita));
        s.server.purgeNow();
        assertEquals(List.of(), loggedHandles());
        assertEquals("released", TestHttp.ok(s.op("GET", BASE + "/" + id, null, rob)).get("holds").get(0).get("state").asText());
        assertTrue(actions().containsAll(List.of("legal.hold", "legal.hold-extend", "legal.hold-release")));
    }

    @Test
    void aHoldExpiresOnItsOwn() {
        long id = register(intake("preservation", List.of("lookup-log-of-target", "lookup-log-by-target"), null), admin);
        s.clock.advance(Duration.ofDays(89));
        s.server.purgeNow();
        assertEquals(List.of("bob@example.org", "+12025550143"), loggedHandles(), "both directions held");
        s.clock.advance(Duration.ofDays(2));
        s.server.purgeNow();
        assertEquals(List.of(), loggedHandles());
        assertEquals("expired", TestHttp.ok(s.op("GET", BASE + "/" + id, null, admin)).get("holds").get(0).get("state").asText());
        assertEquals(409, s.op("POST", BASE + "/" + id + "/hold/extend", null, admin).statusCode());
    }

    @Test
    void theTransparencyReportCountsByTypeAndOutcome() {
        long produced = register(intake("court-order", List.of("subscriber"), null), admin);
        TestHttp.ok(s.op("POST", BASE + "/" + produced + "/approve", null, rita));
        TestHttp.ok(s.op("POST", BASE + "/" + produced + "/produce", null, rita));
        s.op("POST", BASE, intake("subpoena", List.of("lookup-log-of-target"), null), admin);
        LegalIntakeRequest nobody = new LegalIntakeRequest("subpoena", "Police", "R-1", "2026-11-27",
                List.of("nobody@example.org", "+12025550199"), "2026-11-01", "2026-11-30", List.of("subscriber"), null, null);
        long empty = register(nobody, admin);
        TestHttp.ok(s.op("POST", BASE + "/" + empty + "/approve", null, rita));
        assertEquals("produced-without-data",
                TestHttp.ok(s.op("POST", BASE + "/" + empty + "/produce", null, rob)).get("outcome").asText());

        JsonNode report = TestHttp.ok(s.send("GET", "/v1/transparency/report?period=2026-H2", null, null));
        assertEquals("2026-07-01", report.get("from").asText());
        assertEquals("2026-12-31", report.get("until").asText());
        Map<String, JsonNode> byType = new LinkedHashMap<>();
        report.get("types").forEach(t -> byType.put(t.get("type").asText(), t));
        assertEquals(1, count(byType.get("court-order"), "received"));
        assertEquals(1, count(byType.get("court-order"), "producedWithData"));
        assertEquals(2, count(byType.get("subpoena"), "received"));
        assertEquals(1, count(byType.get("subpoena"), "rejected"));
        assertEquals(1, count(byType.get("subpoena"), "producedWithoutData"));
        assertEquals(3, count(byType.get("subpoena"), "accountsSpecified"));
        assertEquals(0, count(TestHttp.ok(s.send("GET", "/v1/transparency/report?period=2026-H1", null, null))
                .get("types").get(2), "received"));
        for (String bad : List.of("2026-H3", "2026", "H2-2026", "1999-H1", "2026-h2")) {
            assertEquals(400, s.send("GET", "/v1/transparency/report?period=" + bad, null, null).statusCode(), bad);
        }
        assertEquals(400, s.send("GET", "/v1/transparency/report", null, null).statusCode());
        assertEquals(400, s.send("GET", "/v1/transparency/report?period=2026-H2&x=1", null, null).statusCode());
    }

    @Test
    void anEmergencyRequestStaysReviewRequiredUntilAReviewerRecordsTheLegalProcess() {
        long id = register(intake("emergency", List.of("subscriber", "lookup-log-of-target"), null), admin);
        JsonNode fresh = TestHttp.ok(s.op("GET", BASE + "/" + id, null, admin));
        assertTrue(fresh.get("reviewRequired").asBoolean());
        TestHttp.ok(s.op("POST", BASE + "/" + id + "/approve", null, rita));
        TestHttp.ok(s.op("POST", BASE + "/" + id + "/produce", null, admin));
        assertTrue(TestHttp.ok(s.op("GET", BASE + "/" + id, null, admin)).get("reviewRequired").asBoolean(),
                "still flagged after production until the follow-up process is recorded");
        assertEquals(403, s.op("POST", BASE + "/" + id + "/review", new LegalReason("court order 123 issued"), admin).statusCode());
        JsonNode reviewed = TestHttp.ok(s.op("POST", BASE + "/" + id + "/review", new LegalReason("court order 123 issued"), rob));
        assertFalse(reviewed.get("reviewRequired").asBoolean());
        assertEquals("rob", reviewed.get("reviewedBy").asText());
        assertEquals("court order 123 issued", reviewed.get("reviewNote").asText());
        assertEquals(409, s.op("POST", BASE + "/" + id + "/review", new LegalReason("again"), rob).statusCode());
        assertTrue(actions().contains("legal.review"));
        // Pen-register: only lookups the target made, by the default matrix.
        assertEquals(422, s.op("POST", BASE, intake("pen-register", List.of("lookup-log-of-target"), null), admin).statusCode());
        long pen = register(intake("pen-register", List.of("lookup-log-by-target"), null), admin);
        TestHttp.ok(s.op("POST", BASE + "/" + pen + "/approve", null, rob));
        TestHttp.ok(s.op("POST", BASE + "/" + pen + "/produce", null, rob));
        String cover = new String(unzipped(pen).get("cover-statement.txt"), StandardCharsets.UTF_8);
        assertTrue(cover.contains("no means of live interception"), cover);
    }

    private Map<String, byte[]> unzipped(long id) {
        try {
            return unzip(s.bytes(BASE + "/" + id + "/package", admin).body());
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void thePublishedPolicyStatesTheNoticeSettingAndTheMatrix() {
        JsonNode policy = TestHttp.ok(s.send("GET", "/.well-known/parley/policy", null, null));
        assertTrue(policy.toString().contains("legal-register"), policy.toString());
        assertEquals("subscriber", policy.get("settings").get("legal.categories.subpoena").asText());
        assertEquals("give", policy.get("settings").get("legal.user-notices").asText());
        assertTrue(policy.toString().contains("\"policy\":\"give\""), policy.toString());
    }

    private List<String> loggedHandles() {
        JsonNode page = TestHttp.ok(s.op("GET", "/v1/admin/lookup-log", null, admin));
        List<String> out = new java.util.ArrayList<>();
        page.get("entries").forEach(e -> out.add(e.get("queriedHandle").asText()));
        return out;
    }

    private List<String> actions() {
        return s.host.audit().trail().page(0, 1000).stream().map(AuditEntry::action).toList();
    }

    static Map<String, byte[]> unzip(byte[] zip) throws IOException {
        Map<String, byte[]> files = new LinkedHashMap<>();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
            for (ZipEntry e; (e = in.getNextEntry()) != null; ) {
                files.put(e.getName(), in.readAllBytes());
            }
        }
        return files;
    }

    /** A report count, which must be a JSON number (issue 9, item 12: they were strings). */
    private static long count(JsonNode counts, String field) {
        JsonNode n = counts.get(field);
        assertTrue(n.isIntegralNumber(), field + " must be a JSON number: " + n);
        return n.asLong();
    }

    @Test
    void bandsHideExactCounts() {
        assertArrayEquals(new long[] {0, 0, 250, 250}, new long[] {band(250, 0), band(250, 249), band(250, 250), band(250, 499)});
        assertEquals(7, band(0, 7));
    }

    private static long band(int width, long n) {
        return new TransparencyReports(null, width).shown(n);
    }
}
