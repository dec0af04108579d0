// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.client.ParleyClient;
import org.parley.protocol.Json;
import org.parley.protocol.MyData;

/**
 * {@code GET /v1/me/data} end to end: real server, real clients with libsignal, the CLI. An account
 * sees its own lookups and queue, never other people's lookups of its handle.
 */
class AccountExportTest {
    @TempDir
    Path dir;

    private UserTestServer server;

    @BeforeEach
    void start() {
        server = UserTestServer.start(dir.resolve("server"));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private String home(String name) {
        return dir.resolve(name).toString();
    }

    private String registered(String name) {
        String handle = UserTestServer.freshHandle(name);
        assertEquals(0, CliRun.parley("register", handle, "--server", server.url(), "--home", home(name)).exitCode());
        assertEquals(0, CliRun.parley("verify", server.codeFor(handle), "--home", home(name)).exitCode());
        return handle;
    }

    private static List<String> queried(JsonNode export) {
        List<String> out = new ArrayList<>();
        export.get("lookups").forEach(l -> out.add(l.get("queriedHandle").asText()));
        return out;
    }

    @Test
    void export_showsOwnLookupsAndQueueButNotLookupsOfMe() throws Exception {
        String alice = registered("alice");
        String bob = registered("bob");
        String nobody = UserTestServer.freshHandle("nobody");
        assertEquals(0, CliRun.parley("lookup", bob, "--home", home("alice")).exitCode());
        assertEquals(0, CliRun.parley("lookup", nobody, "--home", home("alice")).exitCode());
        // Bob looks Alice up (and sends to her, which looks her up again): his lookups, not hers.
        assertEquals(0, CliRun.parley("lookup", alice, "--home", home("bob")).exitCode());
        assertEquals(0, CliRun.parley("send", alice, "hello", "--home", home("bob")).exitCode());

        CliRun run = CliRun.parley("account", "export", "--home", home("alice"), "--json");
        assertEquals(0, run.exitCode(), run.err());
        JsonNode export = Json.lenient().readTree(run.out());
        String today = LocalDate.now(ZoneOffset.UTC).toString();
        assertEquals(List.of(alice), List.of(export.get("handles").get(0).asText()));
        assertEquals(1, export.get("handles").size());
        assertEquals(today, export.get("accountCreated").asText());
        JsonNode device = export.get("devices").get(0);
        assertEquals(1, device.get("deviceId").asInt());
        assertEquals(today, device.get("created").asText());
        assertEquals(today, device.get("lastSeen").asText());
        assertTrue(device.get("preKeys").asInt() > 0, device.toString());
        assertTrue(device.get("pqPreKeys").asInt() > 0, device.toString());
        assertEquals(1, export.get("queuedEnvelopes").asLong(), "Bob's message waits for Alice");
        assertEquals(1, device.get("queuedEnvelopes").asLong());
        assertEquals(List.of(bob, nobody), queried(export));
        assertFalse(run.out().contains("\"queriedHandle\":\"" + alice + "\""), "lookups of Alice by Bob are not hers");
        assertEquals("127.0.0.1", export.get("lookups").get(0).get("clientIp").asText(), "mode full stores the IP");
        assertEquals("sms", export.get("lookups").get(1).get("route").asText());
        assertEquals("full", export.get("lookupLog").get("mode").asText());
        assertEquals("P30D", export.get("lookupLog").get("retention").asText());
        assertTrue(export.get("lookupsComplete").asBoolean());
        assertEquals(0, export.get("disclosures").size(), "no legal register: no disclosures");

        // The positive control: Bob's own export has his lookups of Alice.
        try (ParleyClient bobClient = ParleyClient.open(Path.of(home("bob")))) {
            MyData bobs = bobClient.myData();
            assertTrue(bobs.lookups().stream().anyMatch(l -> l.queriedHandle().equals(alice)), bobs.toString());
            assertEquals(List.of(bob), bobs.handles());
            assertEquals(0, bobs.queuedEnvelopes());
        }
    }

    @Test
    void export_text_isReadable() {
        String carol = registered("carol");
        CliRun run = CliRun.parley("account", "export", "--home", home("carol"));
        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.out().contains("Handles: " + carol), run.out());
        assertTrue(run.out().contains("device 1: registered "), run.out());
        assertTrue(run.out().contains("Disclosures about you: none"), run.out());
    }

    @Test
    void export_notRegistered_failsWithAHint() {
        CliRun run = CliRun.parley("account", "export", "--home", home("nobody"));
        assertEquals(1, run.exitCode());
        assertTrue(run.err().contains("parley register"), run.err());
    }
}
