// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.cli;

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
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.protocol.Json;

/**
 * {@code parley admin token ...} and {@code parley admin audit ...} against the data directory of a
 * real running server: tokens made on the host work over HTTP at once, revoked ones stop at once,
 * and tampering with the database is found by {@code audit verify}.
 */
class AdminHostCommandsTest {
    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newHttpClient();
    private UserTestServer server;
    private String data;

    @BeforeEach
    void start() {
        server = UserTestServer.start(dir.resolve("data"));
        data = server.dataDir.toString();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private int status(String path, String token) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(server.url() + path))
                .header("Authorization", "Bearer " + token).GET().build(), HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    @Test
    void tokenCreate_printsATokenThatWorksAtOnceWithItsRole() throws Exception {
        CliRun created = CliRun.parley("admin", "token", "create", "--data-dir", data, "--role", "auditor", "--name", "otto");
        assertEquals(0, created.exitCode(), created.err());
        String token = created.out().strip();
        assertTrue(token.matches("[A-Za-z0-9_-]{43}"), token);
        assertFalse(created.err().contains(token), "the token goes to stdout only");
        assertEquals(200, status("/v1/admin/audit/verify", token));
        assertEquals(403, status("/v1/admin/lookup-log", token));
        String db = Files.readString(server.dataDir.resolve("parley.db"), java.nio.charset.StandardCharsets.ISO_8859_1);
        assertFalse(db.contains(token), "only the hash is stored");
    }

    @Test
    void tokenCreate_withOut_writesAPrivateFileAndRefusesToOverwrite() throws Exception {
        Path out = dir.resolve("rita.token");
        CliRun created = CliRun.parley("admin", "token", "create", "--data", data, "--role", "legal-reviewer",
                "--name", "rita", "--out", out.toString());
        assertEquals(0, created.exitCode(), created.err());
        assertEquals("", created.out());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(out)));
        assertEquals(403, status("/v1/admin/audit", Files.readString(out).strip()));
        CliRun again = CliRun.parley("admin", "token", "create", "--data-dir", data, "--role", "auditor",
                "--name", "other", "--out", out.toString());
        assertEquals(1, again.exitCode());
        assertTrue(again.err().contains("already exists"), again.err());
    }

    @Test
    void tokenListAndRevoke_showHistoryAndStopTheToken() throws Exception {
        String token = CliRun.parley("admin", "token", "create", "--data-dir", data, "--role", "admin", "--name", "ops")
                .out().strip();
        assertEquals(200, status("/v1/admin/lookup-log", token));
        CliRun revoked = CliRun.parley("admin", "token", "revoke", "--data-dir", data, "ops");
        assertEquals(0, revoked.exitCode(), revoked.err());
        assertEquals(401, status("/v1/admin/lookup-log", token));

        CliRun list = CliRun.parley("admin", "token", "list", "--data-dir", data, "--json");
        assertEquals(0, list.exitCode(), list.err());
        JsonNode tokens = Json.lenient().readTree(list.out());
        assertTrue(tokens.isArray(), "one JSON array: " + list.out());
        assertEquals(2, tokens.size(), list.out());
        JsonNode bootstrap = tokens.get(0);
        JsonNode ops = tokens.get(1);
        assertEquals("admin", bootstrap.get("name").asText());
        assertTrue(bootstrap.get("revokedAt").isNull(), list.out());
        assertEquals("ops", ops.get("name").asText());
        assertFalse(ops.get("revokedAt").isNull());
        assertFalse(list.out().contains(token));
        CliRun table = CliRun.parley("admin", "token", "list", "--data-dir", data);
        assertTrue(table.outLines().get(0).startsWith("NAME"), table.out());

        CliRun twice = CliRun.parley("admin", "token", "revoke", "--data-dir", data, "ops");
        assertEquals(1, twice.exitCode());
        assertTrue(twice.err().contains("no valid token"), twice.err());
        CliRun badRole = CliRun.parley("admin", "token", "create", "--data-dir", data, "--role", "root", "--name", "x");
        assertEquals(1, badRole.exitCode());
        assertTrue(badRole.err().contains("legal-reviewer"), badRole.err());

        String user = System.getProperty("user.name");
        CliRun audit = CliRun.parley("admin", "audit", "list", "--data-dir", data, "--json");
        assertEquals(0, audit.exitCode(), audit.err());
        JsonNode array = Json.lenient().readTree(audit.out());
        assertTrue(array.isArray(), "one JSON array: " + audit.out());
        List<JsonNode> entries = new java.util.ArrayList<>();
        array.forEach(entries::add);
        assertTrue(entries.stream().anyMatch(e -> e.get("action").asText().equals("token.create")
                && e.get("actor").asText().equals("host:" + user) && e.get("details").get("name").asText().equals("ops")));
        assertTrue(entries.stream().anyMatch(e -> e.get("action").asText().equals("token.revoke")
                && e.get("actor").asText().equals("host:" + user)));
        assertTrue(entries.stream().anyMatch(e -> e.get("action").asText().equals("lookup-log.read")
                && e.get("actor").asText().equals("ops")));
    }

    @Test
    void hostCommands_wrongDataDir_failWithoutCreatingAnything() {
        Path wrong = dir.resolve("typo");
        CliRun run = CliRun.parley("admin", "token", "create", "--data-dir", wrong.toString(), "--role", "admin", "--name", "x");
        assertEquals(1, run.exitCode());
        assertTrue(run.err().contains("no Parley database"), run.err());
        assertEquals("", run.out());
        assertFalse(Files.exists(wrong));
        assertEquals(1, CliRun.parley("admin", "audit", "verify", "--data-dir", wrong.toString()).exitCode());
    }

    @Test
    void auditVerify_intactThenTampered_exits0Then4NamingTheEntry() throws Exception {
        for (String name : List.of("a1", "a2", "a3")) {
            assertEquals(0, CliRun.parley("admin", "token", "create", "--data-dir", data, "--role", "auditor",
                    "--name", name).exitCode());
        }
        CliRun ok = CliRun.parley("admin", "audit", "verify", "--data-dir", data);
        assertEquals(0, ok.exitCode(), ok.out() + ok.err());
        assertTrue(ok.out().startsWith("audit log intact: 4 entries"), ok.out());

        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + server.dataDir.resolve("parley.db"));
             Statement s = c.createStatement()) {
            s.execute("PRAGMA busy_timeout=10000");
            s.execute("DROP TRIGGER audit_log_no_update");
            s.execute("UPDATE audit_log SET details = '{\"name\":\"innocent\",\"role\":\"auditor\"}' WHERE seq = 3");
        }
        CliRun broken = CliRun.parley("admin", "audit", "verify", "--data-dir", data, "--json");
        assertEquals(AdminAuditCommand.CHAIN_BROKEN, broken.exitCode(), broken.out() + broken.err());
        JsonNode report = Json.lenient().readTree(broken.out());
        assertFalse(report.get("intact").asBoolean());
        assertEquals(3, report.get("brokenAtSeq").asLong());
        CliRun text = CliRun.parley("admin", "audit", "verify", "--data-dir", data);
        assertTrue(text.out().startsWith("audit log BROKEN at seq 3"), text.out());
    }
}
