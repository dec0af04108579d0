// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.parley.client.ParleyClient;
import org.parley.client.store.LocalState;
import org.parley.protocol.Json;

/**
 * Sealed sender for groups end to end (issue 14): the real server, real libsignal sender keys sealed per
 * device, the CLI. Alice (with a linked laptop) writes to a group with Bob (with a linked laptop too) and
 * Carol. Alice holds Bob's access key (he wrote to her) but not Carol's: Bob's copies go sealed, Carol's
 * identified, and Alice's laptop gets a sealed sync copy.
 */
class SealedGroupEndToEndTest {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final Pattern CODE = Pattern.compile("parley://link\\?\\S+?(?=')");
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @RegisterExtension
    static final CliUsers users = new CliUsers();

    private static CliRun ok(String... args) {
        return CliRun.ok(args);
    }

    private static String receive(String name) {
        return ok("receive", "--home", users.home(name)).out();
    }

    private static void link(String newName, String fromName) throws Exception {
        BackgroundCli link = BackgroundCli.start("device", "link", "--server", users.server().url(),
                "--home", users.home(newName));
        link.awaitOut(out -> out.contains("waiting for the other device"), WAIT, "the link code");
        Matcher code = CODE.matcher(link.out());
        assertTrue(code.find());
        ok("device", "add", code.group(), "--home", users.home(fromName));
        CliRun linked = link.await(WAIT);
        assertEquals(0, linked.exitCode(), linked.err());
    }

    private static String accountId(String name) {
        try (ParleyClient client = ParleyClient.open(Path.of(users.home(name)))) {
            return client.account().orElseThrow().accountId();
        }
    }

    /** (account, source account, type) of every row queued after {@code afterId}. */
    private static List<List<Object>> rowsAfter(long afterId) {
        return users.server().server.database().read(c -> {
            try (PreparedStatement s = c.prepareStatement(
                    "SELECT account_id, source_account_id, type FROM messages WHERE id > ? ORDER BY id")) {
                s.setLong(1, afterId);
                List<List<Object>> out = new ArrayList<>();
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        out.add(Arrays.asList(rs.getString(1), rs.getString(2), rs.getString(3)));
                    }
                }
                return out;
            }
        });
    }

    private static long lastId() {
        return users.server().server.database().read(c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT coalesce(max(id), 0) FROM messages");
                 ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }

    private static List<List<Object>> rowsOf(List<List<Object>> rows, String accountId) {
        return rows.stream().filter(r -> accountId.equals(r.get(0))).toList();
    }

    @Test
    void groupSend_isSealedToMembersWithAKey_identifiedToTheOthers_andSyncedSealed() throws Exception {
        String alice = users.register("alice");
        link("alice-laptop", "alice");
        String bob = users.register("bob");
        link("bob-laptop", "bob");
        String carol = users.register("carol");
        // Bob writes to Alice first: his message carries his access key.
        ok("send", alice, "hi alice", "--home", users.home("bob"));
        assertTrue(receive("alice").contains(bob + ": hi alice"));

        String line = ok("group", "create", "Crag", bob, carol, "--home", users.home("alice")).out();
        String id = line.substring(line.indexOf('(') + 1, line.indexOf(')'));
        for (String member : List.of("bob", "bob-laptop", "carol", "alice-laptop")) {
            receive(member);
        }
        receive("alice");

        long before = lastId();
        CliRun sent = ok("send", "--group", id, "sealed rope", "--home", users.home("alice"));
        assertEquals("sent to group Crag (2 members, 4 devices), sealed to 1 of 2", sent.out().strip());

        // What the server stored for this send: no source for Bob's devices and Alice's laptop.
        List<List<Object>> rows = rowsAfter(before);
        List<List<Object>> toBob = rowsOf(rows, accountId("bob"));
        assertTrue(toBob.size() >= 2, rows.toString());
        toBob.forEach(r -> assertEquals(Arrays.asList(accountId("bob"), null, "sealed"), r));
        List<List<Object>> toAlice = rowsOf(rows, accountId("alice"));
        // The sender key and the text, each a sealed sync copy for the laptop.
        assertEquals(2, toAlice.size(), rows.toString());
        toAlice.forEach(r -> assertEquals(Arrays.asList(accountId("alice"), null, "sealed"), r));
        List<List<Object>> toCarol = rowsOf(rows, accountId("carol"));
        assertTrue(toCarol.stream().anyMatch(r -> r.equals(Arrays.asList(accountId("carol"), accountId("alice"), "senderkey"))),
                rows.toString());

        for (String device : List.of("bob", "bob-laptop")) {
            String got = receive(device);
            assertTrue(got.contains("[sealed, verified] [Crag] " + alice + ": sealed rope"), device + ":\n" + got);
        }
        String atCarol = receive("carol");
        assertTrue(atCarol.lines().anyMatch(l -> l.equals("[Crag] " + alice + ": sealed rope")), atCarol);
        String atLaptop = receive("alice-laptop");
        assertTrue(atLaptop.contains("[sealed, verified] [Crag] you: sealed rope"), atLaptop);

        // --sealed refuses before sending anything, naming the member without a key.
        long beforeRefusal = lastId();
        CliRun refused = CliRun.parley("send", "--group", id, "all sealed", "--sealed", "--home", users.home("alice"));
        assertNotEquals(0, refused.exitCode());
        assertTrue(refused.err().contains(carol), refused.err());
        assertFalse(refused.err().contains(bob), refused.err());
        assertEquals(List.of(), rowsAfter(beforeRefusal));

        // --identified never seals: every row names Alice.
        long beforeIdentified = lastId();
        ok("send", "--group", id, "plain", "--identified", "--home", users.home("alice"));
        List<List<Object>> identified = rowsAfter(beforeIdentified);
        assertFalse(identified.isEmpty());
        identified.forEach(r -> assertEquals(accountId("alice"), r.get(1), identified.toString()));
        assertTrue(receive("bob").contains("[Crag] " + alice + ": plain"));

        // Bob answers in the group: Alice's key came with the group update, so his text reaches her sealed.
        ok("send", "--group", id, "on my way", "--home", users.home("bob"));
        String atAlice = receive("alice");
        assertTrue(atAlice.contains("[sealed, verified] [Crag] " + bob + ": on my way"), atAlice);
    }

    /** The server refuses a key Alice holds (Bob replaced his): she forgets it and Bob gets the text identified. */
    @Test
    void groupSend_withARefusedKey_forgetsItAndSendsThatMemberIdentified() throws Exception {
        String alice = users.register("alice");
        String bob = users.register("bob");
        String carol = users.register("carol");
        ok("send", alice, "hi from bob", "--home", users.home("bob"));
        ok("send", alice, "hi from carol", "--home", users.home("carol"));
        receive("alice");
        String line = ok("group", "create", "Crag", bob, carol, "--home", users.home("alice")).out();
        String id = line.substring(line.indexOf('(') + 1, line.indexOf(')'));
        receive("bob");
        receive("carol");
        String bobId = accountId("bob");
        try (LocalState state = LocalState.open(Path.of(users.home("alice")))) {
            state.sealedSender().rememberContactAccessKey(bobId, new byte[16]);
        }

        long before = lastId();
        CliRun sent = ok("send", "--group", id, "rope", "--home", users.home("alice"));
        assertEquals("sent to group Crag (2 members, 2 devices), sealed to 1 of 2", sent.out().strip());

        List<List<Object>> rows = rowsAfter(before);
        rowsOf(rows, bobId).forEach(r -> assertEquals(accountId("alice"), r.get(1), rows.toString()));
        rowsOf(rows, accountId("carol")).forEach(r -> assertEquals(Arrays.asList(accountId("carol"), null, "sealed"), r));
        try (LocalState state = LocalState.open(Path.of(users.home("alice")))) {
            assertTrue(state.sealedSender().contactAccessKey(bobId).isEmpty(), "the refused key is forgotten");
        }
        assertTrue(receive("bob").lines().anyMatch(l -> l.equals("[Crag] " + alice + ": rope")));
        assertTrue(receive("carol").contains("[sealed, verified] [Crag] " + alice + ": rope"));
    }

    @Test
    void typing_isSealedWhenTheKeyIsKnown() throws Exception {
        String alice = users.register("alice");
        String bob = users.register("bob");
        ok("send", alice, "hi alice", "--home", users.home("bob"));
        receive("alice");
        long before = lastId();
        ok("typing", bob, "--home", users.home("alice"));
        List<List<Object>> rows = rowsOf(rowsAfter(before), accountId("bob"));
        assertFalse(rows.isEmpty());
        rows.forEach(r -> assertEquals(Arrays.asList(accountId("bob"), null, "sealed"), r));
        String atBob = receive("bob");
        assertTrue(atBob.contains(alice + " is typing"), atBob);
    }

    // ---- the endpoint itself ------------------------------------------------------------------------

    private static HttpResponse<String> putMulti(String body, String authorization) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(users.server().url() + "/v1/sealed-messages/multi"))
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(body));
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String message(int deviceId, int registrationId, String type) {
        return "{\"deviceId\":" + deviceId + ",\"registrationId\":" + registrationId + ",\"type\":\"" + type
                + "\",\"content\":\"AQID\"}";
    }

    private static String recipient(String accountId, byte[] key, String... messages) {
        return "{\"accountId\":\"" + accountId + "\"," + (key == null ? "" : "\"accessKey\":\""
                + Base64.getEncoder().encodeToString(key) + "\",") + "\"messages\":[" + String.join(",", messages) + "]}";
    }

    private static String request(String... recipients) {
        return "{\"timestamp\":" + System.currentTimeMillis() + ",\"recipients\":[" + String.join(",", recipients) + "]}";
    }

    private static JsonNode error(HttpResponse<String> response, int status) throws Exception {
        assertEquals(status, response.statusCode(), response.body());
        JsonNode body = Json.lenient().readTree(response.body());
        assertTrue(body.hasNonNull("error") && body.hasNonNull("message"), response.body());
        return body;
    }

    @Test
    void sealedMulti_refusesBadRequestsWithJson_andNamesRefusedKeysIn401() throws Exception {
        users.register("bob");
        String carol = users.register("carol");
        String bobId = accountId("bob");
        String carolId = accountId("carol");
        int carolRegistration;
        try (ParleyClient c = ParleyClient.open(Path.of(users.home("carol")))) {
            c.acceptSealedFromAnyone(true);
            carolRegistration = c.lookup(List.of(carol)).getFirst().devices().getFirst().registrationId();
        }
        long before = lastId();
        String toCarol = recipient(carolId, null, message(1, carolRegistration, "sealed"));

        error(putMulti("not json", null), 400);
        error(putMulti(request(), null), 400);
        error(putMulti("{\"timestamp\":1}", null), 400);
        error(putMulti(request(toCarol, toCarol), null), 400);
        error(putMulti(request(recipient(carolId, null, message(1, carolRegistration, "signal"))), null), 400);
        error(putMulti(request(recipient(carolId, new byte[3], message(1, carolRegistration, "sealed"))), null), 400);
        error(putMulti(request(recipient(carolId, null)), null), 400);
        error(putMulti(request(toCarol), "Basic eDp5"), 400);
        error(putMulti(request(recipient(carolId, null, message(1, carolRegistration, "sealed"),
                message(1, carolRegistration, "sealed"))), null), 400);

        // Wrong key, unknown account: one 401 naming both, nothing stored (Carol accepts anyone and is not named).
        JsonNode refused = error(putMulti(request(toCarol, recipient(bobId, new byte[16], message(1, 1, "sealed")),
                recipient("no-such-account", new byte[16], message(1, 1, "sealed"))), null), 401);
        assertEquals("unauthorized", refused.get("error").asText());
        assertEquals(List.of(bobId, "no-such-account"),
                Json.lenient().convertValue(refused.get("accounts"), List.class));
        // A device Carol does not have: 409 per account, as for the identified multi.
        JsonNode mismatch = error(putMulti(request(recipient(carolId, null, message(1, carolRegistration, "sealed"),
                message(2, 1, "sealed"))), null), 409);
        assertEquals(carolId, mismatch.get("mismatches").get(0).get("accountId").asText());
        assertEquals(List.of(), rowsAfter(before));

        // And the good one: stored without a source.
        JsonNode accepted = Json.lenient().readTree(putMulti(request(toCarol), null).body());
        assertEquals(1, accepted.get("guids").size(), accepted.toString());
        assertEquals(List.of(Arrays.asList(carolId, null, "sealed")), rowsAfter(before));
    }
}
