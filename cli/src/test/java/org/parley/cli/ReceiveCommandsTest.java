// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.parley.client.ParleyClient;
import org.parley.client.ReceiveOptions;
import org.parley.protocol.Json;

/**
 * {@code receive} (drain by default, {@code --follow}, the JSON forms) and {@code history} as a person or
 * a script runs them, against the real server (issue 9 items 12, 16 and 18).
 */
class ReceiveCommandsTest {
    private static final Duration WAIT = Duration.ofSeconds(60);

    @RegisterExtension
    static final CliUsers users = new CliUsers();

    private String alice;
    private String bob;

    @BeforeEach
    void registerTwoUsers() {
        alice = users.register("alice");
        bob = users.register("bob");
    }

    private static CliRun parley(String... args) {
        return CliRun.parley(args);
    }

    private void send(String from, String to, String text) {
        CliRun send = parley("send", to, text, "--home", users.home(from));
        assertEquals(0, send.exitCode(), send.err());
    }

    // ---- drain and follow (item 16) -------------------------------------------------------------

    /** Before: `receive --timeout 120` held the terminal for two minutes after the message arrived. */
    @Test
    void receive_messagesWaiting_returnsOnceQueueIsDrained() {
        send("alice", bob, "one");
        send("alice", bob, "two");
        long started = System.nanoTime();

        CliRun receive = parley("receive", "--timeout", "120", "--home", users.home("bob"));

        Duration took = Duration.ofNanos(System.nanoTime() - started);
        assertEquals(0, receive.exitCode(), receive.err());
        assertEquals(List.of(alice + ": one", alice + ": two"), receive.outLines());
        assertTrue(took.compareTo(Duration.ofSeconds(60)) < 0, "returned after " + took + ", not at the timeout");
    }

    @Test
    void receive_follow_printsMessageSentWhileWaiting() throws Exception {
        BackgroundCli follow = BackgroundCli.start("receive", "--follow", "--max-messages", "1", "--timeout", "60",
                "--home", users.home("bob"));
        users.server().awaitDeliveryConnections(1, WAIT);

        send("alice", bob, "are you there?");

        CliRun done = follow.await(WAIT);
        assertEquals(0, done.exitCode(), done.err());
        assertEquals(List.of(alice + ": are you there?"), done.outLines());
    }

    @Test
    void receive_follow_idleForTimeout_endsWithExitZero() {
        CliRun receive = parley("receive", "--follow", "--timeout", "0.5", "--home", users.home("bob"));

        assertEquals(0, receive.exitCode(), receive.err());
        assertEquals("", receive.out());
    }

    @Test
    void receive_zeroTimeout_isUsageErrorNamingTheRule() {
        CliRun receive = parley("receive", "--timeout", "0", "--home", users.home("bob"));

        assertEquals(1, receive.exitCode());
        assertTrue(receive.err().contains("--timeout must be a positive number of seconds; was 0.0"), receive.err());
    }

    // ---- JSON (item 12) -------------------------------------------------------------------------

    @Test
    void receive_json_nothingWaiting_printsEmptyArray() {
        CliRun receive = parley("receive", "--json", "--home", users.home("bob"));

        assertEquals(0, receive.exitCode(), receive.err());
        assertEquals("[]\n", receive.out());
    }

    @Test
    void receive_json_twoMessages_printsOneArray() throws Exception {
        send("alice", bob, "first");
        send("alice", bob, "second");

        CliRun receive = parley("receive", "--json", "--home", users.home("bob"));

        assertEquals(0, receive.exitCode(), receive.err());
        assertEquals(1, receive.outLines().size(), receive.out());
        JsonNode array = Json.lenient().readTree(receive.out());
        assertTrue(array.isArray());
        assertEquals(2, array.size());
        assertEquals("message", array.get(0).get("type").asText());
        assertEquals(alice, array.get(0).get("from").asText());
        assertEquals("first", array.get(0).get("text").asText());
        assertTrue(array.get(0).get("serverTimestamp").isNumber());
        assertEquals("second", array.get(1).get("text").asText());
        assertEquals("[]\n", parley("receive", "--json", "--home", users.home("bob")).out(), "shown once");
    }

    @Test
    void receive_jsonLines_printsOneObjectPerLine() throws Exception {
        send("alice", bob, "first");
        send("alice", bob, "second");

        CliRun receive = parley("receive", "--json-lines", "--home", users.home("bob"));

        assertEquals(0, receive.exitCode(), receive.err());
        assertEquals(2, receive.outLines().size(), receive.out());
        assertEquals("first", Json.lenient().readTree(receive.outLines().get(0)).get("text").asText());
        assertEquals("second", Json.lenient().readTree(receive.outLines().get(1)).get("text").asText());
    }

    @Test
    void receive_jsonAndJsonLines_isUsageError() {
        CliRun receive = parley("receive", "--json", "--json-lines", "--home", users.home("bob"));

        assertEquals(1, receive.exitCode());
        assertTrue(receive.err().contains("exclude each other"), receive.err());
    }

    // ---- history (item 18) ----------------------------------------------------------------------

    @Test
    void history_afterExchange_showsBothDirectionsInOrder() {
        send("alice", bob, "Hello Bob");
        parley("receive", "--home", users.home("bob"));
        send("bob", alice, "Hi Alice!");

        List<String> atBob = parley("history", "--home", users.home("bob")).outLines();
        List<String> withAlice = parley("history", alice, "--home", users.home("bob")).outLines();

        assertEquals(2, atBob.size(), atBob.toString());
        assertTrue(atBob.get(0).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ " + alice.replace("+", "\\+") + ": Hello Bob"),
                atBob.get(0));
        assertTrue(atBob.get(1).endsWith(" you -> " + alice + ": Hi Alice!"), atBob.get(1));
        assertEquals(atBob, withAlice);
        assertEquals(List.of(), parley("history", UserTestServer.freshHandle("nobody"), "--home", users.home("bob")).outLines());
    }

    @Test
    void history_json_printsOneArrayWithDirections() throws Exception {
        send("alice", bob, "Hello Bob");
        parley("receive", "--home", users.home("bob"));
        send("bob", alice, "Hi Alice!");

        CliRun history = parley("history", "--json", "--home", users.home("bob"));

        assertEquals(0, history.exitCode(), history.err());
        JsonNode array = Json.lenient().readTree(history.out());
        assertEquals(2, array.size());
        assertEquals("in", array.get(0).get("direction").asText());
        assertEquals(alice, array.get(0).get("handle").asText());
        assertEquals("out", array.get(1).get("direction").asText());
        assertEquals("Hi Alice!", array.get(1).get("text").asText());
        users.register("carol");
        assertEquals("[]\n", parley("history", "--json", "--home", users.home("carol")).out());
    }

    @Test
    void history_storedNotYetShown_listedAndReceiveStillPrintsIt() {
        send("alice", bob, "unread");
        // Stored and acked but not shown, as after a crash or an app's background sync.
        try (ParleyClient client = ParleyClient.open(users.homes().resolve("bob"))) {
            client.receive(ReceiveOptions.drain().storeOnly(), event -> { });
        }

        List<String> history = parley("history", "--home", users.home("bob")).outLines();
        CliRun receive = parley("receive", "--home", users.home("bob"));

        assertEquals(1, history.size(), history.toString());
        assertTrue(history.getFirst().endsWith(alice + ": unread"), history.toString());
        assertEquals(List.of(alice + ": unread"), receive.outLines());
    }
}
