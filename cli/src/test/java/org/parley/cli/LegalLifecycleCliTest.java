// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.protocol.Json;
import org.parley.server.ParleyServer;
import org.parley.server.config.ConfigLoader;
import org.parley.testing.TestClock;

/**
 * The whole legal request lifecycle from the command line against the real server: tokens from
 * {@code parley admin token create}, intake, approval by a second reviewer, production, offline
 * verification of the package, and the notice the target sees with {@code parley notices} once the
 * non-disclosure date has passed.
 */
class LegalLifecycleCliTest {
    @TempDir
    Path dir;

    /** The test moves it: the non-disclosure date must pass without waiting weeks. */
    private final TestClock clock = new TestClock(Instant.parse("2026-11-27T10:00:00Z"));
    private ParleyServer server;
    private Path data;
    private String url;

    @BeforeEach
    void start() {
        server = ParleyServer.start(ConfigLoader.defaultsOnly().withHttp("127.0.0.1", 0, dir.resolve("data")), clock);
        data = server.config().http().dataDir();
        url = "http://127.0.0.1:" + server.port();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private CliRun ok(String... args) {
        CliRun run = CliRun.parley(args);
        assertEquals(0, run.exitCode(), () -> String.join(" ", args) + "\nout: " + run.out() + "\nerr: " + run.err());
        return run;
    }

    private void registerUser(String handle, Path home) throws Exception {
        ok("register", handle, "--server", url, "--home", home.toString());
        String code = Files.readString(data.resolve("dev-codes").resolve(handle)).strip();
        ok("verify", code, "--home", home.toString());
    }

    private Path token(String name, String role) {
        Path file = dir.resolve(name + ".token");
        ok("admin", "token", "create", "--data-dir", data.toString(), "--name", name, "--role", role, "--out", file.toString());
        return file;
    }

    @Test
    void intakeApproveProduceVerifyAndNotice() throws Exception {
        Path bob = dir.resolve("bob");
        Path carol = dir.resolve("carol");
        registerUser("bob@example.org", bob);
        registerUser("carol@example.org", carol);
        ok("lookup", "bob@example.org", "--home", carol.toString());

        Path admin = data.resolve("admin.token");
        Path rita = token("rita", "legal-reviewer");
        Path rob = token("rob", "legal-reviewer");
        Path document = dir.resolve("order.pdf");
        Files.writeString(document, "a court order, scanned");

        CliRun intake = ok("admin", "legal", "intake", "--server", url, "--token-file", rita.toString(), "--json",
                "--type", "court-order", "--authority", "Example County Court", "--reference", "CR-2026-77",
                "--received", "2026-11-27", "--handle", "BOB@example.org", "--from", "2026-11-01", "--until", "2026-11-30",
                "--category", "subscriber", "--category", "lookup-log-of-target",
                "--non-disclosure-until", "2026-12-15", "--document", document.toString());
        JsonNode request = Json.lenient().readTree(intake.out());
        String id = request.get("id").asText();
        assertEquals("bob@example.org", request.get("handles").get(0).asText());
        assertEquals(DisclosureVerifier.sha256(Files.readAllBytes(document)), request.get("documentSha256").get(0).asText());

        // The registering reviewer may not approve, nor may an admin; a second reviewer may.
        CliRun self = CliRun.parley("admin", "legal", "approve", id, "--server", url, "--token-file", rita.toString());
        assertEquals(2, self.exitCode());
        assertTrue(self.err().contains("two_person_rule"), self.err());
        assertEquals(2, CliRun.parley("admin", "legal", "approve", id, "--server", url, "--token-file", admin.toString()).exitCode());
        assertTrue(ok("admin", "legal", "approve", id, "--server", url, "--token-file", rob.toString()).out()
                .contains("approved"));

        Path pkg = dir.resolve("package.zip");
        CliRun produce = ok("admin", "legal", "produce", id, "--server", url, "--token-file", admin.toString(),
                "--out", pkg.toString());
        assertTrue(produce.out().contains("produced-with-data"), produce.out());

        CliRun verify = ok("admin", "legal", "verify", pkg.toString(), "--server", url);
        assertTrue(verify.out().startsWith("package verified: request " + id), verify.out());
        var files = DisclosureVerifier.unzip(Files.readAllBytes(pkg));
        JsonNode of = Json.lenient().readTree(files.get("lookup-log-of-target.json"));
        assertEquals(1, of.size(), "Carol's one lookup of Bob");
        assertTrue(new String(files.get("cover-statement.txt")).contains("does NOT show that any communication took place"));

        // A changed byte anywhere is caught: here in a data file, so its hash no longer matches.
        var changed = new java.util.LinkedHashMap<>(files);
        changed.put("subscriber.csv", "handle\r\nsomeone-else@example.org\r\n".getBytes());
        Path tampered = dir.resolve("tampered.zip");
        Files.write(tampered, rezip(changed));
        CliRun bad = CliRun.parley("admin", "legal", "verify", tampered.toString());
        assertEquals(AdminLegalCommand.PACKAGE_INVALID, bad.exitCode(), bad.out());
        assertTrue(bad.out().contains("subscriber.csv"), bad.out());

        // The notice: none during the non-disclosure period, then one, for Bob only.
        assertEquals(List.of("no disclosure notices"), ok("notices", "--home", bob.toString()).outLines());
        clock.set(Instant.parse("2026-12-16T00:00:01Z"));
        List<String> notices = ok("notices", "--home", bob.toString()).outLines();
        assertEquals(List.of("2026-11-27 court-order: subscriber, lookup-log-of-target"), notices);
        assertEquals(List.of("no disclosure notices"), ok("notices", "--home", carol.toString()).outLines());

        CliRun list = ok("admin", "legal", "list", "--server", url, "--token-file", admin.toString());
        assertTrue(list.out().contains("produced-with-data"), list.out());
    }

    private static byte[] rezip(java.util.Map<String, byte[]> files) throws Exception {
        var out = new java.io.ByteArrayOutputStream();
        try (var zip = new java.util.zip.ZipOutputStream(out)) {
            for (var f : files.entrySet()) {
                zip.putNextEntry(new java.util.zip.ZipEntry(f.getKey()));
                zip.write(f.getValue());
                zip.closeEntry();
            }
        }
        return out.toByteArray();
    }
}
