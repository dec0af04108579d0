// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.parley.protocol.Json;

/**
 * A send that reaches no device never exits 0 (issue 9, item 2): {@code send} to your own handle
 * printed {@code sent to … (0 devices)} and exited 0, although nothing went anywhere.
 */
class SendToSelfTest {
    @RegisterExtension
    static final CliUsers users = new CliUsers();

    @Test
    void send_toOwnHandleWithoutOtherDevices_refusesWithExitOne() {
        String alice = users.register("alice");

        CliRun run = CliRun.parley("send", alice, "note to self", "--home", users.homes().resolve("alice").toString());

        assertEquals(1, run.exitCode());
        assertEquals("", run.out());
        assertEquals("parley send: you have no other devices; nothing to send to (a message to your own handle"
                + " goes to your other devices, and this is your only one)\n", run.err());
    }

    @Test
    void send_json_toOwnHandleWithoutOtherDevices_printsErrorDocument() throws Exception {
        String alice = users.register("alice");

        CliRun run = CliRun.parley("send", "--json", alice, "hi", "--home", users.homes().resolve("alice").toString());

        assertEquals(1, run.exitCode());
        assertEquals("", run.out());
        JsonNode error = Json.lenient().readTree(run.err());
        assertEquals("nothing_to_send", error.get("error").asText());
        assertTrue(error.get("message").asText().startsWith("you have no other devices; nothing to send to"));
    }

    @Test
    void send_toOwnHandleInAnotherSpelling_refusesToo() {
        String alice = users.register("alice");

        CliRun run = CliRun.parley("send", alice.toUpperCase(), "hi", "--home", users.homes().resolve("alice").toString());

        assertEquals(1, run.exitCode(), run.out());
    }
}
