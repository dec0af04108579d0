// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.parley.cli.CliRun.ok;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.parley.protocol.Json;

/**
 * Registering again in a registered home must not silently destroy queued messages (issue 9, item 1).
 * Alice sent to Bob; Bob ran {@code register} and {@code verify} again with the same home; the server
 * replaced his device and dropped its queue, so his next {@code receive} showed nothing.
 */
class RegisterAgainTest {
    @RegisterExtension
    static final CliUsers users = new CliUsers();

    @Test
    void register_inRegisteredHome_refusesNamingTheWaitingEnvelopes_andLosesNothing() {
        String alice = users.register("alice");
        String bob = users.register("bob");
        ok("send", bob, "first", "--home", users.home("alice"));
        ok("send", bob, "second", "--home", users.home("alice"));

        CliRun again = CliRun.parley("register", bob, "--server", users.server().url(), "--home", users.home("bob"));

        assertEquals(1, again.exitCode());
        assertEquals("", again.out());
        assertEquals(1, again.err().lines().count(), again.err());
        assertTrue(again.err().startsWith("parley register: this home (" + users.home("bob") + ") holds a registered device for "
                + bob + " (device 1 on " + users.server().url() + "); 2 envelopes are waiting on the server for it."), again.err());
        assertTrue(again.err().contains("the waiting envelopes and its identity key would be lost"), again.err());
        assertTrue(again.err().contains("`parley receive --home " + users.home("bob") + "`"), again.err());
        assertTrue(again.err().contains("--replace`"), again.err());
        // Nothing changed: the device still works and both messages are still there.
        CliRun receive = ok("receive", "--home", users.home("bob"));
        assertEquals(List.of(alice + ": first", alice + ": second"), receive.outLines());
    }

    @Test
    void register_otherHandleInRegisteredHome_refusesToo() throws Exception {
        users.register("carol");
        String other = UserTestServer.freshHandle("carol2");

        CliRun again = CliRun.parley("register", "--json", other, "--server", users.server().url(), "--home", users.home("carol"));

        assertEquals(1, again.exitCode());
        JsonNode error = Json.lenient().readTree(again.err());
        assertEquals("registered_home", error.get("error").asText());
        assertTrue(error.get("message").asText().contains("no envelopes are waiting on the server for it"), again.err());
        assertFalse(Files.exists(users.server().dataDir.resolve("dev-codes").resolve(other)), "no code may be requested");
    }

    @Test
    void registerAndVerify_withReplace_replaceTheDevice_verifyAloneRefuses() {
        String alice = users.register("alice");
        String dave = users.register("dave");

        CliRun register = ok("register", dave, "--server", users.server().url(), "--home", users.home("dave"), "--replace");
        assertTrue(register.out().contains("run `parley verify CODE --replace`"), register.out());
        // A message arrives between register and verify: verify counts it and refuses on its own.
        ok("send", dave, "meanwhile", "--home", users.home("alice"));
        CliRun verify = CliRun.parley("verify", users.server().codeFor(dave), "--home", users.home("dave"));
        assertEquals(1, verify.exitCode());
        assertTrue(verify.err().startsWith("parley verify: this home (" + users.home("dave") + ") holds a registered device for "
                + dave + " (device 1 on " + users.server().url() + "); 1 envelope is waiting on the server for it."
                + " Verifying the new code replaces that device"), verify.err());
        assertTrue(verify.err().contains("`parley verify CODE --home " + users.home("dave") + " --replace`"), verify.err());

        assertEquals(List.of(alice + ": meanwhile"), ok("receive", "--home", users.home("dave")).outLines());
        CliRun replaced = ok("verify", users.server().codeFor(dave), "--home", users.home("dave"), "--replace");
        assertEquals("registered " + dave + " as device 1 on " + users.server().url() + "\n", replaced.out());
    }

    @Test
    void register_inRegisteredHome_serverGone_stillRefuses(@TempDir Path otherServerDir) {
        String gina = UserTestServer.freshHandle("gina");
        try (UserTestServer gone = UserTestServer.start(otherServerDir)) {
            ok("register", gina, "--server", gone.url(), "--home", users.home("gina"));
            ok("verify", gone.codeFor(gina), "--home", users.home("gina"));
        }

        CliRun again = CliRun.parley("register", gina, "--server", users.server().url(), "--home", users.home("gina"));

        assertEquals(1, again.exitCode());
        assertTrue(again.err().contains("; the server could not be asked how many envelopes are waiting for it ("),
                again.err());
        assertTrue(again.err().contains("--replace`"), again.err());
    }

    @Test
    void register_inHomeWithOnlyAPendingRegistration_needsNoReplace() {
        String erin = UserTestServer.freshHandle("erin");
        ok("register", "typo-" + erin, "--server", users.server().url(), "--home", users.home("erin"));

        ok("register", erin, "--server", users.server().url(), "--home", users.home("erin"));
        ok("verify", users.server().codeFor(erin), "--home", users.home("erin"));
    }
}
