// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.parley.protocol.Json;

/**
 * Usage errors exit 1 everywhere, as the README says (issue 9, item 11): picocli's own default is 2,
 * which Parley reserves for errors from the server, and {@code parley} alone and {@code parley frobnicate}
 * used to exit 2.
 */
class UsageErrorsTest {
    @TempDir
    Path dir;

    @Test
    void parley_withoutArguments_exitsOneNamingTheCommands() {
        CliRun run = CliRun.parley();

        assertEquals(1, run.exitCode());
        assertEquals("", run.out());
        assertTrue(run.err().startsWith("parley: a command is required: one of server, admin, register,"), run.err());
    }

    @Test
    void parley_unknownCommand_exitsOne() {
        CliRun run = CliRun.parley("frobnicate");

        assertEquals(1, run.exitCode());
        assertTrue(run.err().contains("frobnicate"), run.err());
    }

    @ParameterizedTest
    @ValueSource(strings = {"admin", "admin token", "admin audit", "admin legal", "account"})
    void groupCommand_withoutSubcommand_exitsOne(String command) {
        CliRun run = CliRun.parley(command.split(" "));

        assertEquals(1, run.exitCode());
        assertTrue(run.err().startsWith("parley " + command + ": a command is required: one of "), run.err());
    }

    /** One usage error of each kind, across the user, operator and host commands. */
    @ParameterizedTest
    @ValueSource(strings = {
        "frobnicate --json",
        "--frobnicate",
        "register",                                         // missing HANDLE and --server
        "register a@example.org",                           // missing --server
        "verify",                                           // missing CODE
        "send bob@example.org",                             // missing TEXT
        "lookup",                                           // missing HANDLE
        "lookup --bogus bob@example.org",                   // unknown option
        "receive --timeout soon",                           // not a number
        "safety-number",                                    // missing HANDLE
        "notices extra",                                    // unexpected parameter
        "account export extra",
        "server --port eighty",
        "admin frobnicate",
        "admin token create --role admin",                  // missing --name
        "admin token revoke",                               // missing NAME
        "admin audit list --limit many",
        "admin lookup-log --server http://127.0.0.1:1",     // missing --token-file
        "admin legal approve seven --server http://127.0.0.1:1 --token-file t",
        "admin legal verify",                               // missing ZIP
        "help frobnicate",
    })
    void usageError_exitsOne(String commandLine) {
        CliRun run = CliRun.parley(commandLine.split(" "));

        assertEquals(1, run.exitCode(), commandLine + "\n" + run.err());
        assertFalse(run.err().isBlank(), commandLine);
    }

    @ParameterizedTest
    @ValueSource(strings = {"lookup --json", "frobnicate --json", "admin --json", "admin token list --json --limit 3"})
    void usageError_withJson_isOneErrorDocumentOnStderr(String commandLine) throws Exception {
        CliRun run = CliRun.parley(commandLine.split(" "));

        assertEquals(1, run.exitCode());
        assertEquals("", run.out());
        JsonNode error = Json.lenient().readTree(run.err());
        assertEquals("usage", error.get("error").asText());
        assertEquals(1, error.get("exitCode").asInt());
    }

    @Test
    void usageError_createsNoHome() {
        Path home = dir.resolve("home");

        CliRun run = CliRun.parley("send", "bob@example.org", "--home", home.toString());

        assertEquals(1, run.exitCode());
        assertFalse(Files.exists(home));
    }
}
