// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Sealed sender as a person sees it in the CLI, against the real server. */
class SealedSenderCliTest {
    @RegisterExtension
    static final CliUsers users = new CliUsers();

    private static CliRun parley(String... args) {
        return CliRun.parley(args);
    }

    @Test
    void reply_isSealedByDefault_andReceiveShowsTheSenderAsVerified() {
        String alice = users.register("alice");
        String bob = users.register("bob");
        CliRun sealedFirst = parley("send", bob, "hi", "--sealed", "--home", users.home("alice"));
        assertEquals(1, sealedFirst.exitCode(), "no key of Bob's yet: --sealed cannot send");

        CliRun.ok("send", bob, "hello", "bob", "--home", users.home("alice"));
        CliRun.ok("receive", "--home", users.home("bob"));
        CliRun reply = CliRun.ok("send", alice, "hi", "alice", "--home", users.home("bob"));
        CliRun identified = CliRun.ok("send", alice, "plain", "--identified", "--home", users.home("bob"));
        CliRun receive = CliRun.ok("receive", "--home", users.home("alice"));

        assertEquals("sent to " + alice + " (1 device), sealed\n", reply.out());
        assertEquals("sent to " + alice + " (1 device)\n", identified.out());
        // Bob's receipts for "hello bob" come first (sealed too, shown as receipts).
        assertEquals(List.of(bob + ": delivered \"hello bob\"", bob + ": read \"hello bob\"",
                "[sealed, verified] " + bob + ": hi alice", bob + ": plain"), receive.outLines());
    }

    @Test
    void accountSetting_contactsByDefault_anyoneOnRequest() {
        users.register("carol");

        assertEquals("sealed-sender messages accepted from contacts only (people you have messaged); others must"
                + " send identified\n", CliRun.ok("account", "sealed-sender", "--home", users.home("carol")).out());
        assertEquals("sealed-sender messages accepted from anyone\n",
                CliRun.ok("account", "sealed-sender", "anyone", "--home", users.home("carol")).out());
        assertEquals("sealed-sender messages accepted from anyone\n",
                CliRun.ok("account", "sealed-sender", "--home", users.home("carol")).out());
    }
}
