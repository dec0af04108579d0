// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.parley.protocol.Json;

/**
 * {@code --json} prints exactly one JSON document per command (issue 9, item 12): lists are one array,
 * {@code []} when empty, and counts are numbers. Before, {@code lookup} and {@code admin token list}
 * printed one object per line and {@code notices --json} printed nothing when there were none.
 */
class JsonOutputTest {
    @RegisterExtension
    static final CliUsers users = new CliUsers();

    /** Standard output must be one JSON document on one line, nothing before or after it. */
    static JsonNode document(CliRun run) throws Exception {
        assertEquals(1, run.outLines().size(), "one line: " + run.out());
        // Json.lenient() fails on trailing tokens, so a second document would not parse.
        return Json.lenient().readTree(run.out());
    }

    @Test
    void lookup_json_isOneArrayWithNumericDeviceCounts() throws Exception {
        users.register("alice");
        String bob = users.register("bob");
        String nobody = UserTestServer.freshHandle("nobody");

        CliRun run = CliRun.parley("lookup", "--json", bob, nobody, "--home", users.home("alice"));

        assertEquals(0, run.exitCode(), run.err());
        JsonNode list = document(run);
        assertTrue(list.isArray(), run.out());
        assertEquals(2, list.size());
        assertEquals(bob, list.get(0).get("handle").asText());
        assertEquals("parley", list.get(0).get("route").asText());
        assertTrue(list.get(0).get("devices").isIntegralNumber(), run.out());
        assertEquals(1, list.get(0).get("devices").asInt());
        assertEquals("sms", list.get(1).get("route").asText());
        assertEquals(0, list.get(1).get("devices").asInt());
    }

    @Test
    void notices_json_noNotices_printsEmptyArray() throws Exception {
        users.register("carol");

        CliRun run = CliRun.parley("notices", "--json", "--home", users.home("carol"));

        assertEquals(0, run.exitCode(), run.err());
        assertEquals("[]\n", run.out());
        assertTrue(document(run).isArray());
    }

    @Test
    void registerVerifySendSafetyNumberExport_json_eachOneDocument() throws Exception {
        String alice = users.register("alice");
        String bob = UserTestServer.freshHandle("bob");

        JsonNode register = document(CliRun.parley("register", "--json", bob, "--server", users.server().url(), "--home", users.home("bob")));
        assertEquals(bob, register.get("handle").asText());
        JsonNode verify = document(CliRun.parley("verify", "--json", users.server().codeFor(bob), "--home", users.home("bob")));
        assertEquals(1, verify.get("deviceId").asInt());
        assertTrue(verify.get("deviceId").isIntegralNumber());

        CliRun send = CliRun.parley("send", "--json", bob, "hello", "--home", users.home("alice"));
        assertEquals(0, send.exitCode(), send.err());
        JsonNode sent = document(send);
        assertTrue(sent.get("devices").isIntegralNumber());
        assertEquals(1, sent.get("devices").asInt());
        assertTrue(sent.get("identityChanges").isArray());

        JsonNode numbers = document(CliRun.parley("safety-number", "--json", alice, "--home", users.home("bob")));
        assertEquals("parley", numbers.get("route").asText());
        assertEquals(1, numbers.get("devices").size());
        assertEquals(60, numbers.get("devices").get(0).get("safetyNumber").asText().length());

        JsonNode export = document(CliRun.parley("account", "export", "--json", "--home", users.home("bob")));
        assertTrue(export.get("queuedEnvelopes").isIntegralNumber());
        assertEquals(1, export.get("queuedEnvelopes").asLong());
    }

    @Test
    void send_json_toHandleNotOnParley_exitsThreeWithOneDocumentAndNothingElse() throws Exception {
        users.register("alice");
        String nobody = UserTestServer.freshHandle("nobody");

        CliRun run = CliRun.parley("send", "--json", nobody, "hi", "--home", users.home("alice"));

        assertEquals(3, run.exitCode());
        assertEquals("", run.err());
        JsonNode result = document(run);
        assertEquals("sms", result.get("route").asText());
        assertEquals(false, result.get("sent").asBoolean());
    }

    @Test
    void error_json_isOneDocumentOnStderrAndNothingOnStdout() throws Exception {
        CliRun run = CliRun.parley("lookup", "--json", "bob@example.org", "--home", users.home("nobody"));

        assertEquals(1, run.exitCode());
        assertEquals("", run.out());
        JsonNode error = Json.lenient().readTree(run.err());
        assertEquals("not_registered", error.get("error").asText());
        assertEquals(1, error.get("exitCode").asInt());
    }

    @Test
    void adminTokenCommands_json_printOneDocumentEach() throws Exception {
        String data = users.server().dataDir.toString();

        JsonNode created = document(CliRun.parley("admin", "token", "create", "--json", "--data-dir", data,
                "--role", "auditor", "--name", "json-otto"));
        assertEquals("json-otto", created.get("name").asText());
        assertTrue(created.get("token").asText().length() > 20);
        JsonNode revoked = document(CliRun.parley("admin", "token", "revoke", "--json", "--data-dir", data, "json-otto"));
        assertTrue(revoked.get("revoked").asBoolean());
        JsonNode list = document(CliRun.parley("admin", "token", "list", "--json", "--data-dir", data));
        assertTrue(list.isArray());
        JsonNode audit = document(CliRun.parley("admin", "audit", "list", "--json", "--data-dir", data,
                "--after", "999999"));
        assertEquals("[]", audit.toString());

        CliRun missing = CliRun.parley("admin", "token", "revoke", "--json", "--data-dir", data, "no-such-token");
        assertEquals(1, missing.exitCode());
        assertEquals("", missing.out());
        assertEquals(1, Json.lenient().readTree(missing.err()).get("exitCode").asInt());
    }

    @Test
    void adminLegalList_json_isOneDocument() throws Exception {
        Path token = users.server().dataDir.resolve("admin.token");

        CliRun run = CliRun.parley("admin", "legal", "list", "--json", "--server", users.server().url(), "--token-file", token.toString());

        assertEquals(0, run.exitCode(), run.err());
        assertTrue(document(run).get("requests").isArray());
    }
}
