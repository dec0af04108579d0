// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.parley.client.ParleyClient;

/**
 * Delivery and read receipts and typing indicators end to end through the CLI and the real server:
 * they are ordinary padded 1:1 messages, so the server's queue cannot tell them from a text.
 */
class ReceiptsEndToEndTest {
    @RegisterExtension
    static final CliUsers users = new CliUsers();

    /** A queued envelope as the server stores it: what it could look at to tell kinds apart. */
    private record Stored(String type, int size) {}

    @Test
    void receipt_isIndistinguishableFromAMessage_inTheServersStorage() {
        String bob = users.register("bob");
        String alice = users.register("alice2");
        CliRun.ok("send", bob, "are you there", "--home", users.home("alice2"));
        CliRun.ok("receive", "--home", users.home("bob"));
        CliRun.ok("send", alice, "ok", "--home", users.home("bob"));

        // Alice's queue: bob's delivery receipt, his read receipt, his text: all sealed (Alice's first message
        // gave Bob her access key), all padded to the same size.
        List<Stored> queued = queue(accountId("alice2"));
        assertEquals(3, queued.size(), queued.toString());
        assertEquals(1, queued.stream().distinct().count(), "same envelope type and size for all: " + queued);
        assertEquals("sealed", queued.getFirst().type());

        CliRun got = CliRun.ok("receive", "--home", users.home("alice2"));
        assertEquals(List.of(bob + ": delivered \"are you there\"", bob + ": read \"are you there\"",
                        "[sealed, verified] " + bob + ": ok"),
                got.outLines());
    }

    @Test
    void readReceiptsOff_sendsNone_butDeliveryReceiptsStill() {
        String alice = users.register("alice");
        String bob = users.register("bob");
        assertEquals("read receipts are off on this device",
                CliRun.ok("account", "read-receipts", "off", "--home", users.home("bob")).out().strip());
        CliRun.ok("send", bob, "hello", "--home", users.home("alice"));
        assertTrue(CliRun.ok("receive", "--home", users.home("bob")).out().contains(alice + ": hello"));

        assertEquals(1, queue(accountId("alice")).size(), "only the delivery receipt");
        CliRun got = CliRun.ok("receive", "--home", users.home("alice"));
        assertEquals(List.of(bob + ": delivered \"hello\""), got.outLines());
        assertEquals("read receipts are off on this device",
                CliRun.ok("account", "read-receipts", "--home", users.home("bob")).out().strip());
    }

    @Test
    void typing_isShownOnce_andNotKeptInHistory() {
        String alice = users.register("alice");
        String bob = users.register("bob2");
        CliRun.ok("send", bob, "hi", "--home", users.home("alice"));
        CliRun.ok("typing", bob, "--home", users.home("alice"));

        CliRun got = CliRun.ok("receive", "--home", users.home("bob2"));
        assertEquals(List.of(alice + ": hi", alice + " is typing"), got.outLines());
        CliRun history = CliRun.ok("history", "--home", users.home("bob2"));
        assertFalse(history.out().contains("typing"), history.out());
        assertEquals(List.of(), CliRun.ok("receive", "--home", users.home("bob2")).outLines());
    }

    private static String accountId(String name) {
        try (ParleyClient client = ParleyClient.open(Path.of(users.home(name)))) {
            return client.account().orElseThrow().accountId();
        }
    }

    private static List<Stored> queue(String accountId) {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + users.server().dataDir.resolve("parley.db"));
             PreparedStatement s = c.prepareStatement(
                     "SELECT type, length(content) FROM messages WHERE account_id = ? ORDER BY id")) {
            s.setString(1, accountId);
            List<Stored> out = new ArrayList<>();
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    out.add(new Stored(rs.getString(1), rs.getInt(2)));
                }
            }
            return out;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
