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
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.parley.client.ParleyClient;

/**
 * Groups end to end through the CLI: the real server, real libsignal sender keys, real WebSocket
 * delivery. Where a test must show that someone cannot read a ciphertext, it plays a malicious server:
 * it copies an envelope stored for a member into another device's queue in the server's database.
 */
class GroupsEndToEndTest {
    @RegisterExtension
    static final CliUsers users = new CliUsers();

    private static CliRun ok(String... args) {
        return CliRun.ok(args);
    }

    private String home(String name) {
        return users.home(name);
    }

    private CliRun receive(String name) {
        return ok("receive", "--home", home(name));
    }

    /** Creates a group from alice's home and returns its id (the text in parentheses of the first line). */
    private String createGroup(String name, String... handles) {
        List<String> args = new ArrayList<>(List.of("group", "create", name));
        args.addAll(List.of(handles));
        args.addAll(List.of("--home", home("alice")));
        String line = ok(args.toArray(String[]::new)).out();
        return line.substring(line.indexOf('(') + 1, line.indexOf(')'));
    }

    @Test
    void groupMessage_reachesEveryMemberDevice_withTheGroupName() {
        String alice = users.register("alice");
        String bob = users.register("bob");
        String carol = users.register("carol");
        String id = createGroup("Climbing", bob, carol);

        CliRun sent = ok("send", "--group", id, "rope at six", "--home", home("alice"));
        assertEquals("sent to group Climbing (2 members, 2 devices)", sent.out().strip());

        for (String member : List.of("bob", "carol")) {
            CliRun got = receive(member);
            assertTrue(got.outLines().contains("[Climbing] " + alice + " added you to the group"), got.out());
            assertTrue(got.outLines().contains("[Climbing] " + alice + ": rope at six"), got.out());
            assertTrue(ok("group", "list", "--home", home(member)).out().contains("Climbing"));
        }
        // Bob answers in the group: his own sender key goes to alice and carol first.
        ok("send", "--group", id, "see you", "--home", home("bob"));
        assertTrue(receive("carol").outLines().contains("[Climbing] " + bob + ": see you"));
        // Alice's key came with the group update: Bob's text reaches her sealed (he has no key of Carol's).
        assertTrue(receive("alice").outLines().contains("[sealed, verified] [Climbing] " + bob + ": see you"));
        assertTrue(ok("group", "list", "--home", home("alice")).out().contains(carol));
    }

    @Test
    void removedMember_cannotDecryptNewGroupMessages() throws Exception {
        users.register("alice");
        String bob = users.register("bob");
        String carol = users.register("carol");
        String dave = users.register("dave");
        String id = createGroup("Book club", bob, carol, dave);
        ok("send", "--group", id, "chapter one", "--home", home("alice"));
        assertTrue(receive("dave").out().contains("chapter one"));

        CliRun removed = ok("group", "remove", id, dave, "--home", home("alice"));
        assertFalse(removed.out().contains(dave), removed.out());
        CliRun told = receive("dave");
        assertTrue(told.out().contains("removed you"), told.out());
        String secret = "chapter two " + UUID.randomUUID();
        ok("send", "--group", id, secret, "--home", home("alice"));
        assertEquals(0, queued(accountId("dave")), "the group send does not address dave any more");

        // A malicious server hands dave a copy of what bob got: dave's old sender key does not open it.
        copyLatestEnvelope(accountId("bob"), accountId("dave"));
        CliRun daveTries = CliRun.parley("receive", "--home", home("dave"));
        assertFalse(daveTries.out().contains(secret), daveTries.out());
        assertTrue(daveTries.err().contains("could not decrypt"), daveTries.err());
        assertTrue(receive("bob").out().contains(secret));
        assertTrue(receive("carol").out().contains(secret));
    }

    @Test
    void memberAddedLater_cannotReadEarlierMessages() throws Exception {
        users.register("alice");
        String bob = users.register("bob");
        String carol = users.register("carol");
        String id = createGroup("Planning", bob);
        String before = "before carol " + UUID.randomUUID();
        ok("send", "--group", id, before, "--home", home("alice"));
        byte[] earlier = latestContent(accountId("bob"));

        ok("group", "add", id, carol, "--home", home("alice"));
        ok("send", "--group", id, "welcome carol", "--home", home("alice"));
        CliRun first = receive("carol");
        assertTrue(first.out().contains("welcome carol"), first.out());
        assertFalse(first.out().contains(before));

        // The server replays the earlier ciphertext to carol: her copy of the key starts after it.
        insertEnvelope(accountId("carol"), accountId("alice"), earlier);
        CliRun replay = CliRun.parley("receive", "--home", home("carol"));
        assertFalse(replay.out().contains(before), replay.out());
        assertTrue(replay.err().contains("could not decrypt"), replay.err());
        assertTrue(receive("bob").out().contains(before));
    }

    @Test
    void renameAndLeave_reachTheOtherMembers() {
        String alice = users.register("alice");
        String bob = users.register("bob");
        String carol = users.register("carol");
        String id = createGroup("Old name", bob, carol);
        ok("group", "rename", id, "New", "name", "--home", home("alice"));
        receive("carol");
        CliRun got = receive("bob");
        assertTrue(got.out().contains("[New name] " + alice + " renamed the group to \"New name\""), got.out());

        ok("group", "leave", id, "--home", home("bob"));
        assertTrue(receive("carol").out().contains("[New name] " + bob + " left the group"));
        assertTrue(receive("alice").out().contains(bob + " left the group"));
        assertTrue(ok("group", "list", "--home", home("bob")).out().contains("New name (left)"));
        CliRun after = ok("send", "--group", id, "still here", "--home", home("alice"));
        assertTrue(after.out().contains("(1 member, 1 device)"), after.out());
        assertTrue(receive("carol").out().contains("still here"));
        assertEquals(0, queuedAny(accountId("bob")));
    }

    /** The server never learns the group: no id, name or text of it in any file of its data directory. */
    @Test
    void groupIdNameAndText_neverOnTheServersDisk() throws Exception {
        users.register("alice");
        String bob = users.register("bob");
        String name = "Surprise party " + UUID.randomUUID();
        String id = createGroup(name, bob);
        String text = "bring the cake " + UUID.randomUUID();
        ok("send", "--group", id, text, "--home", home("alice"));
        assertTrue(receive("bob").out().contains(text));
        for (String secret : List.of(id, name, text)) {
            assertFalse(onServerDisk(secret.getBytes(java.nio.charset.StandardCharsets.UTF_8)), secret);
        }
        // Control: the scan does see what the server keeps, e.g. bob's handle in the lookup log.
        assertTrue(onServerDisk(bob.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }

    private static boolean onServerDisk(byte[] needle) throws java.io.IOException {
        try (var walk = java.nio.file.Files.walk(users.server().dataDir)) {
            for (Path file : walk.filter(java.nio.file.Files::isRegularFile).toList()) {
                byte[] content = java.nio.file.Files.readAllBytes(file);
                outer:
                for (int i = 0; i + needle.length <= content.length; i++) {
                    for (int j = 0; j < needle.length; j++) {
                        if (content[i + j] != needle[j]) {
                            continue outer;
                        }
                    }
                    return true;
                }
            }
        }
        return false;
    }

    // ---- the server's database -----------------------------------------------------------------

    private static String accountId(String name) {
        try (ParleyClient client = ParleyClient.open(Path.of(users.home(name)))) {
            return client.account().orElseThrow().accountId();
        }
    }

    private static Connection db() throws Exception {
        return DriverManager.getConnection("jdbc:sqlite:" + users.server().dataDir.resolve("parley.db"));
    }

    /** Group (sender-key) envelopes queued for the account. */
    private static int queued(String accountId) {
        return count("SELECT count(*) FROM messages WHERE account_id = ? AND type = 'senderkey'", accountId);
    }

    private static int queuedAny(String accountId) {
        return count("SELECT count(*) FROM messages WHERE account_id = ? AND type = 'senderkey'", accountId);
    }

    private static int count(String sql, String accountId) {
        try (Connection c = db(); PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, accountId);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] latestContent(String accountId) throws Exception {
        try (Connection c = db(); PreparedStatement s = c.prepareStatement(
                "SELECT content FROM messages WHERE account_id = ? AND type = 'senderkey' ORDER BY id DESC LIMIT 1")) {
            s.setString(1, accountId);
            try (ResultSet rs = s.executeQuery()) {
                assertTrue(rs.next(), "a group envelope is queued");
                return rs.getBytes(1);
            }
        }
    }

    private static void copyLatestEnvelope(String fromQueueOf, String toAccountId) throws Exception {
        String source;
        try (Connection c = db(); PreparedStatement s = c.prepareStatement(
                "SELECT source_account_id FROM messages WHERE account_id = ? AND type = 'senderkey' ORDER BY id DESC LIMIT 1")) {
            s.setString(1, fromQueueOf);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                source = rs.getString(1);
            }
        }
        insertEnvelope(toAccountId, source, latestContent(fromQueueOf));
    }

    private static void insertEnvelope(String accountId, String sourceAccountId, byte[] content) throws Exception {
        long now = System.currentTimeMillis();
        try (Connection c = db(); PreparedStatement s = c.prepareStatement("INSERT INTO messages(account_id, device_id, guid, "
                + "source_account_id, source_device_id, type, content, client_timestamp, server_timestamp, expires_at) "
                + "VALUES (?, 1, ?, ?, 1, 'senderkey', ?, ?, ?, ?)")) {
            s.setString(1, accountId);
            s.setString(2, UUID.randomUUID().toString());
            s.setString(3, sourceAccountId);
            s.setBytes(4, content);
            s.setLong(5, now);
            s.setLong(6, now);
            s.setLong(7, now + 86_400_000L);
            s.executeUpdate();
        }
    }
}
