// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.parley.protocol.Json;
import picocli.CommandLine;

/** The user commands as a person runs them, against the real server: output lines and exit codes. */
class UserCommandsTest {
    @RegisterExtension
    static final CliUsers users = new CliUsers();

    private static CliRun parley(String... args) {
        return CliRun.parley(args);
    }

    @Test
    void registerThenVerify_printsWhatHappened() {
        String handle = UserTestServer.freshHandle("dana");

        CliRun register = parley("register", handle, "--server", users.server().url(), "--home", users.home("dana"));
        CliRun verify = parley("verify", users.server().codeFor(handle), "--home", users.home("dana"));

        assertEquals(0, register.exitCode());
        assertTrue(register.out().startsWith("verification code sent to " + handle), register.out());
        assertEquals(0, verify.exitCode(), verify.err());
        assertEquals("registered " + handle + " as device 1 on " + users.server().url() + "\n", verify.out());
    }

    @Test
    void register_handleWithUpperCase_isNormalisedByServer() {
        String handle = UserTestServer.freshHandle("Erin");

        CliRun register = parley("register", "  " + handle.toUpperCase() + " ", "--server", users.server().url(), "--home", users.home("erin"));

        assertEquals(0, register.exitCode(), register.err());
        assertTrue(register.out().contains(handle.toLowerCase()), register.out());
    }

    @Test
    void sendThenReceive_printsSentLineAndHandleColonText() {
        String alice = users.register("alice");
        String bob = users.register("bob");

        CliRun send = parley("send", bob, "hello", "bob", "--home", users.home("alice"));
        CliRun receive = parley("receive", "--home", users.home("bob"));

        assertEquals(0, send.exitCode(), send.err());
        assertEquals("sent to " + bob + " (1 device)\n", send.out());
        assertEquals(0, receive.exitCode(), receive.err());
        assertEquals(List.of(alice + ": hello bob"), receive.outLines());
        assertEquals("", receive.err());
    }

    @Test
    void send_toHandleNotOnParley_exitsThreeWithSmsHint() {
        users.register("alice");
        String nobody = UserTestServer.freshHandle("nobody");

        CliRun send = parley("send", nobody, "hi", "--home", users.home("alice"));

        assertEquals(3, send.exitCode());
        assertEquals("", send.out());
        assertEquals(nobody + " is not on Parley; send it by SMS instead\n", send.err());
    }

    @Test
    void lookup_printsOneLinePerHandle() {
        users.register("alice");
        String bob = users.register("bob");
        String nobody = UserTestServer.freshHandle("nobody");

        CliRun lookup = parley("lookup", bob, nobody, "--home", users.home("alice"));

        assertEquals(0, lookup.exitCode(), lookup.err());
        assertEquals(List.of(bob + " parley devices=1", nobody + " sms"), lookup.outLines());
    }

    @Test
    void safetyNumber_printsTwelveBlocksOfFive_sameOnBothSides() {
        String alice = users.register("alice");
        String bob = users.register("bob");

        CliRun atAlice = parley("safety-number", bob, "--home", users.home("alice"));
        CliRun atBob = parley("safety-number", alice, "--home", users.home("bob"));

        assertEquals(0, atAlice.exitCode(), atAlice.err());
        String line = atAlice.outLines().getFirst();
        assertTrue(line.matches(Pattern.quote(bob) + " device 1: (\\d{5} ){11}\\d{5}"), line);
        String digits = line.substring(line.indexOf(": ") + 2);
        assertTrue(atBob.out().contains(digits), atBob.out());
    }

    @Test
    void receive_json_printsMessageObjects() throws Exception {
        String alice = users.register("alice");
        String bob = users.register("bob");
        parley("send", bob, "json please", "--home", users.home("alice"));

        CliRun receive = parley("receive", "--json", "--home", users.home("bob"));

        JsonNode array = Json.lenient().readTree(receive.out());
        assertEquals(1, array.size(), receive.out());
        JsonNode node = array.get(0);
        assertEquals("message", node.get("type").asText());
        assertEquals(alice, node.get("from").asText());
        assertEquals("json please", node.get("text").asText());
    }

    @Test
    void command_withoutRegistration_exitsOneWithHint() {
        CliRun send = parley("send", "bob@example.org", "hi", "--home", users.home("empty"));

        assertEquals(1, send.exitCode());
        assertEquals(1, send.err().lines().count(), send.err());
        assertTrue(send.err().startsWith("parley send: no Parley device in "), send.err());
        assertFalse(Files.exists(users.homes().resolve("empty")), "a failing command must not create a home");
    }

    @Test
    void verify_withoutPendingRegistration_exitsOne() {
        users.register("alice");

        CliRun verify = parley("verify", "123456", "--home", users.home("alice"));

        assertEquals(1, verify.exitCode());
        assertTrue(verify.err().startsWith("parley verify: no registration is pending"), verify.err());
    }

    @Test
    void verify_wrongCode_exitsTwoWithServerMessage() {
        String handle = UserTestServer.freshHandle("frank");
        parley("register", handle, "--server", users.server().url(), "--home", users.home("frank"));
        String code = users.server().codeFor(handle);
        String wrong = code.substring(0, 5) + (code.charAt(5) == '0' ? '1' : '0');

        CliRun verify = parley("verify", wrong, "--home", users.home("frank"));

        assertEquals(2, verify.exitCode());
        assertEquals(1, verify.err().lines().count(), verify.err());
        assertTrue(verify.err().startsWith("parley verify: "), verify.err());
        assertFalse(verify.err().contains("Exception"), verify.err());
    }

    @Test
    void register_invalidHandle_exitsOne() {
        CliRun register = parley("register", "not-a-handle", "--server", users.server().url(), "--home", users.home("x"));

        assertEquals(1, register.exitCode());
        assertTrue(register.err().startsWith("parley register: "), register.err());
    }

    @Test
    void register_unreachableServer_exitsTwo() {
        CliRun register = parley("register", "gina@example.org", "--server", "http://127.0.0.1:1", "--home", users.home("gina"));

        assertEquals(2, register.exitCode());
        assertTrue(register.err().startsWith("parley register: cannot connect to the server at http://127.0.0.1:1"),
                register.err());
    }

    @Test
    void send_withoutText_isUsageErrorExitingOne() {
        CliRun send = parley("send", "bob@example.org", "--home", users.home("x"));

        assertEquals(1, send.exitCode());
        assertTrue(send.err().contains("TEXT"), send.err());
    }

    @Test
    void receive_nonNumericTimeout_isUsageErrorExitingOne() {
        assertEquals(1, parley("receive", "--timeout", "soon", "--home", users.home("x")).exitCode());
    }

    @Test
    void register_badServerUrl_exitsOne() {
        CliRun register = parley("register", "gina@example.org", "--server", "ftp://example.org", "--home", users.home("gina"));

        assertEquals(1, register.exitCode());
    }

    @Test
    void error_withJson_isOneJsonObjectOnStderr() throws Exception {
        CliRun send = parley("send", "--json", "bob@example.org", "hi", "--home", users.home("empty"));

        JsonNode node = Json.lenient().readTree(send.err());
        assertEquals("not_registered", node.get("error").asText());
        assertEquals(1, node.get("exitCode").asInt());
    }

    @Test
    void home_isCreatedPrivate() throws Exception {
        users.register("alice");

        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(users.homes().resolve("alice"))));
        assertEquals("rw-------", PosixFilePermissions.toString(
                Files.getPosixFilePermissions(users.homes().resolve("alice").resolve("state.db"))));
    }
}
