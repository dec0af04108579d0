// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.parley.cli.CliRun.ok;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Error messages that say what went wrong and what to do (issue 9, item 15). Each test pins one of the
 * messages a new user met: a phone-number rule for an input that was no phone number, libphonenumber's
 * own sentence, "1 attempts left", "start a new session" without saying that {@code register} starts
 * one, a revoked token told it "is wrong", "only a approved request", and a {@code verify} that created
 * the home it complained about.
 */
class ErrorWordingTest {
    @RegisterExtension
    static final CliUsers users = new CliUsers();

    @Test
    void register_neitherPhoneNorEmail_saysSoWithExamples_andCreatesNoHome() {
        CliRun run = CliRun.parley("register", "not-an-email", "--server", users.server().url(), "--home", users.home("x"));

        assertEquals(1, run.exitCode());
        assertEquals("parley register: invalid handle 'not-an-email': neither an E.164 phone number nor an email"
                + " address; use a phone number with + and the country code such as +12025550143, or an email address"
                + " such as alice@example.org\n", run.err());
        assertFalse(Files.exists(users.homes().resolve("x")));
    }

    @Test
    void register_numberWithoutPlus_asksForTheCountryCode() {
        CliRun run = CliRun.parley("register", "202 555 0143", "--server", users.server().url(), "--home", users.home("x"));

        assertEquals(1, run.exitCode());
        assertTrue(run.err().contains("a phone number needs + and its country code (E.164), e.g. +12025550143"), run.err());
    }

    @Test
    void register_plusOne_isOurSentenceNotLibphonenumbers() {
        CliRun run = CliRun.parley("register", "+1", "--server", users.server().url(), "--home", users.home("x"));

        assertEquals(1, run.exitCode());
        assertEquals("parley register: invalid handle '+1': too short for a phone number; an E.164 number is +, the"
                + " country code and the national number, e.g. +12025550143 (US) or +442079460958 (UK)\n", run.err());
        assertFalse(run.err().contains("did not seem"), run.err());
    }

    @Test
    void register_tooFewDigitsForTheCountry_namesTheCountryCode() {
        CliRun run = CliRun.parley("register", "+1 202 555", "--server", users.server().url(), "--home", users.home("x"));

        assertEquals(1, run.exitCode());
        assertTrue(run.err().contains("too few digits for a phone number with country code +1"), run.err());
    }

    @Test
    void lookup_oneInvalidHandleAmongSeveral_isNamed_andCreatesNoHome() {
        CliRun run = CliRun.parley("lookup", "bob@example.org", "not-a-handle", "--home", users.home("y"));

        assertEquals(1, run.exitCode());
        assertTrue(run.err().startsWith("parley lookup: invalid handle 'not-a-handle': neither an E.164"), run.err());
        assertFalse(Files.exists(users.homes().resolve("y")));
    }

    @Test
    void tokenCreate_outInMissingDirectory_saysSo_andIssuesNoToken() {
        String data = users.server().dataDir.toString();
        Path out = users.homes().resolve("missing").resolve("t.token");

        CliRun run = CliRun.parley("admin", "token", "create", "--data-dir", data, "--role", "admin",
                "--name", "wording-nowhere", "--out", out.toString());

        assertEquals(1, run.exitCode());
        assertEquals("parley admin token create: cannot create " + out + ": the directory " + out.getParent()
                + " does not exist\n", run.err());
        assertFalse(ok("admin", "token", "list", "--data-dir", data).out().contains("wording-nowhere"),
                "a token nobody received must not exist");
    }

    @Test
    void legalVerify_missingFile_givesTheReasonNotThePathTwice() {
        Path zip = users.homes().resolve("nope.zip");

        CliRun run = CliRun.parley("admin", "legal", "verify", zip.toString());

        assertEquals(1, run.exitCode());
        assertEquals("parley admin legal verify: cannot read " + zip + ": it does not exist\n", run.err());
    }

    @Test
    void server_portOutOfRange_isAUsageError_andCreatesNothing() {
        Path data = users.homes().resolve("server-data");

        CliRun run = CliRun.parley("server", "--port", "99999", "--data-dir", data.toString());

        assertEquals(1, run.exitCode());
        assertTrue(run.err().startsWith("Invalid value for option '--port': a port is a number in 0..65535"), run.err());
        assertFalse(Files.exists(data));
    }

    @Test
    void verify_wrongCodes_countDownInGoodEnglish_thenNameRegister() {
        String handle = UserTestServer.freshHandle("frank");
        ok("register", handle, "--server", users.server().url(), "--home", users.home("frank"));
        String code = users.server().codeFor(handle);
        String wrong = code.substring(0, 5) + (code.charAt(5) == '0' ? '1' : '0');
        String register = "`parley register " + handle + " --server " + users.server().url() + " --home " + users.home("frank") + "`";

        for (int left = 4; left >= 2; left--) {
            assertEquals("parley verify: wrong verification code; " + left + " attempts left\n",
                    CliRun.parley("verify", wrong, "--home", users.home("frank")).err());
        }
        CliRun one = CliRun.parley("verify", wrong, "--home", users.home("frank"));
        assertEquals("parley verify: wrong verification code; 1 attempt left\n", one.err());
        CliRun last = CliRun.parley("verify", wrong, "--home", users.home("frank"));
        assertEquals("parley verify: wrong verification code, and that was the last attempt for it; run " + register
                + " for a new code\n", last.err());
        CliRun dead = CliRun.parley("verify", code, "--home", users.home("frank"));
        assertEquals(2, dead.exitCode());
        assertEquals("parley verify: too many wrong codes for this verification code; run " + register
                + " for a new code\n", dead.err());

        ok("register", handle, "--server", users.server().url(), "--home", users.home("frank"));
        ok("verify", users.server().codeFor(handle), "--home", users.home("frank"));
    }

    @Test
    void verify_withoutAnyHome_createsNothing() {
        Path home = users.homes().resolve("never-registered");

        CliRun run = CliRun.parley("verify", "123456", "--home", home.toString());

        assertEquals(1, run.exitCode());
        assertEquals("parley verify: no registration is pending in " + home + "; run `parley register HANDLE --server URL"
                + " --home " + home + "` first\n", run.err());
        assertFalse(Files.exists(home), "verify must not create the home it complains about");
    }

    @Test
    void revokedToken_isToldItWasRevoked() throws Exception {
        String data = users.server().dataDir.toString();
        Path token = users.homes().resolve("otto.token");
        ok("admin", "token", "create", "--data-dir", data, "--role", "admin", "--name", "wording-otto", "--out", token.toString());
        ok("admin", "lookup-log", "--server", users.server().url(), "--token-file", token.toString());
        ok("admin", "token", "revoke", "--data-dir", data, "wording-otto");

        CliRun revoked = CliRun.parley("admin", "lookup-log", "--server", users.server().url(), "--token-file", token.toString());

        assertEquals(2, revoked.exitCode());
        assertTrue(revoked.err().contains("the operator token 'wording-otto' was revoked on "), revoked.err());
        assertFalse(revoked.err().contains("is wrong"), revoked.err());

        Path forged = users.homes().resolve("forged.token");
        Files.writeString(forged, "not-a-token-this-server-issued");
        CliRun unknown = CliRun.parley("admin", "lookup-log", "--server", users.server().url(), "--token-file", forged.toString());
        assertEquals(2, unknown.exitCode());
        assertTrue(unknown.err().contains("matches no token this server issued"), unknown.err());
    }

    @Test
    void produce_beforeApproval_saysAnApprovedRequest() {
        CliRun intake = ok("admin", "legal", "intake", "--server", users.server().url(),
                "--token-file", users.server().dataDir.resolve("admin.token").toString(), "--json",
                "--type", "subpoena", "--authority", "Example Police", "--reference", "W-1", "--received", "2026-11-27",
                "--handle", "nobody@example.org", "--from", "2026-11-01", "--until", "2026-11-30", "--category", "subscriber");
        String id = intake.out().replaceAll(".*\"id\":(\\d+).*\\s*", "$1");

        CliRun produce = CliRun.parley("admin", "legal", "produce", id, "--server", users.server().url(),
                "--token-file", users.server().dataDir.resolve("admin.token").toString(), "--out", users.homes().resolve("p.zip").toString());

        assertEquals(2, produce.exitCode());
        assertTrue(produce.err().contains("only an approved request can be produced"), produce.err());
    }
}
