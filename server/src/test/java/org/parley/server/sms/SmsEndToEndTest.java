// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.sms;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.testing.Eventually;
import org.parley.server.testing.TestHttp;

/** SMS through the real server to a real SMPP peer: codes, encodings, segmentation, receipts and refusals. */
class SmsEndToEndTest {
    private static final String ALICE = "+12025550143";
    private static final String HANDSET = "+14155550100";

    @TempDir
    Path dir;

    private SmsTestWorld world;

    @BeforeEach
    void start() {
        world = new SmsTestWorld(dir.resolve("data"), Map.of());
    }

    @AfterEach
    void stop() {
        world.close();
    }

    @Test
    void register_codeSentBySmpp_registersWithIt() throws Exception {
        SmsTestWorld.User alice = world.register(ALICE);
        assertTrue(alice.accountId().length() > 10);
        TestSmsc.Submit code = world.smsc.delivered().getLast();
        assertEquals(ALICE, code.destination());
        assertEquals(0x00, code.dataCoding(), "a code is plain GSM-7");
        assertEquals(0x01, code.registeredDelivery() & 0x03, "a delivery receipt is asked for");
    }

    @Test
    void send_gsmText_arrivesAsGsm7Septets() throws Exception {
        SmsTestWorld.User alice = world.optedIn(ALICE);
        String id = world.sms(alice, HANDSET, "Hi @ 5£");
        world.awaitStatus(alice, id, "accepted");
        TestSmsc.Submit s = lastTo(HANDSET);
        assertEquals(0x00, s.dataCoding());
        assertArrayEquals(new byte[] {'H', 'i', ' ', 0x00, ' ', '5', 0x01}, s.shortMessage());
    }

    @Test
    void send_extensionCharacters_arriveAsEscapePairs() throws Exception {
        SmsTestWorld.User alice = world.optedIn(ALICE);
        world.awaitStatus(alice, world.sms(alice, HANDSET, "5€ [x]"), "accepted");
        TestSmsc.Submit s = lastTo(HANDSET);
        assertEquals(0x00, s.dataCoding());
        assertArrayEquals(new byte[] {'5', 0x1B, 0x65, ' ', 0x1B, 0x3C, 'x', 0x1B, 0x3E}, s.shortMessage());
    }

    @Test
    void send_emoji_arrivesAsUcs2() throws Exception {
        SmsTestWorld.User alice = world.optedIn(ALICE);
        world.awaitStatus(alice, world.sms(alice, HANDSET, "ok 👍"), "accepted");
        TestSmsc.Submit s = lastTo(HANDSET);
        assertEquals(0x08, s.dataCoding());
        assertArrayEquals("ok 👍".getBytes(StandardCharsets.UTF_16BE), s.shortMessage());
    }

    @Test
    void send_at160And161And70And71_segmentsAsSmppExpects() throws Exception {
        SmsTestWorld.User alice = world.optedIn(ALICE);
        record Case(String text, int parts) {}
        List<Case> cases = List.of(new Case("a".repeat(160), 1), new Case("b".repeat(161), 2),
                new Case("я".repeat(70), 1), new Case("ж".repeat(71), 2));
        for (Case c : cases) {
            String id = world.sms(alice, HANDSET, c.text());
            world.awaitStatus(alice, id, "accepted");
            JsonNode status = world.status(alice, id);
            assertEquals(c.parts(), status.get("parts").size(), c.text().length() + " characters");
            List<TestSmsc.Submit> parts = world.smsc.delivered().stream().filter(p -> p.clientId().startsWith(id)).toList();
            assertEquals(c.parts(), parts.size());
            for (TestSmsc.Submit p : parts) {
                assertEquals(c.parts() > 1, p.udh(), "UDHI set exactly on concatenated parts");
            }
            assertTrue(world.smsc.textsTo(HANDSET).contains(c.text()), "the handset shows the whole text");
        }
        // Part 1 by its UDH sequence number (05 00 03 ref total seq): the SMSC may see a message's parts in
        // either order when the link has several submits outstanding (part 2 first was seen under load).
        TestSmsc.Submit first = world.smsc.delivered().stream()
                .filter(p -> p.udh() && p.dataCoding() == 0 && p.shortMessage().length > 5 && p.shortMessage()[5] == 1)
                .findFirst().orElseThrow();
        assertEquals(6 + 153, first.shortMessage().length);
        assertArrayEquals(new byte[] {5, 0, 3}, Arrays.copyOf(first.shortMessage(), 3));
    }

    @Test
    void receipts_deliveredAndUndeliverable_updateTheStatus() throws Exception {
        SmsTestWorld.User alice = world.optedIn(ALICE);
        world.smsc.autoReceipt(2);
        String delivered = world.sms(alice, HANDSET, "this one arrives");
        world.awaitStatus(alice, delivered, "delivered");
        assertEquals(List.of("delivered"), List.of(world.status(alice, delivered).get("parts").get(0).asText()));

        world.smsc.autoReceipt(5);
        String lost = world.sms(alice, HANDSET, "this one does not");
        world.awaitStatus(alice, lost, "failed");
        assertEquals("undeliverable", world.status(alice, lost).get("parts").get(0).asText());
    }

    @Test
    void send_refusals_areClearErrors() throws Exception {
        SmsTestWorld.User alice = world.register(ALICE);
        HttpResponse<String> notOptedIn = world.call("POST", "/v1/sms", Map.of("to", HANDSET, "text", "x"), alice.auth());
        assertEquals(403, notOptedIn.statusCode());
        assertEquals("sms_not_enabled", TestHttp.parse(notOptedIn).get("error").asText());

        assertEquals(200, world.call("PUT", "/v1/me/settings/sms", Map.of("enabled", true), alice.auth()).statusCode());
        HttpResponse<String> email = world.call("POST", "/v1/sms", Map.of("to", "bob@example.org", "text", "x"), alice.auth());
        assertEquals(400, email.statusCode());
        assertTrue(TestHttp.parse(email).get("message").asText().contains("E.164"), email.body());

        HttpResponse<String> toParley = world.call("POST", "/v1/sms", Map.of("to", ALICE, "text", "x"), alice.auth());
        assertEquals(409, toParley.statusCode());
        assertEquals("on_parley", TestHttp.parse(toParley).get("error").asText());

        HttpResponse<String> tooLong = world.call("POST", "/v1/sms", Map.of("to", HANDSET, "text", "a".repeat(153 * 10 + 1)),
                alice.auth());
        assertEquals(400, tooLong.statusCode());
        assertTrue(tooLong.body().contains("sms.max-parts"), tooLong.body());

        HttpResponse<String> noAuth = world.call("POST", "/v1/sms", Map.of("to", HANDSET, "text", "x"), null);
        assertEquals(401, noAuth.statusCode());
        HttpResponse<String> badJson = world.call("POST", "/v1/sms", Map.of("to", HANDSET), alice.auth());
        assertEquals(400, badJson.statusCode());
    }

    @Test
    void status_ofAnotherAccountsSms_isNotFound() throws Exception {
        SmsTestWorld.User alice = world.optedIn(ALICE);
        SmsTestWorld.User bob = world.register("+12025550199");
        String id = world.sms(alice, HANDSET, "private");
        assertEquals(200, world.call("GET", "/v1/sms/" + id, null, alice.auth()).statusCode());
        assertEquals(404, world.call("GET", "/v1/sms/" + id, null, bob.auth()).statusCode());
        assertEquals(404, world.call("GET", "/v1/sms/no-such-id", null, alice.auth()).statusCode());
    }

    @Test
    void send_sameClientMessageIdTwice_queuesOneSms() throws Exception {
        SmsTestWorld.User alice = world.optedIn(ALICE);
        Map<String, String> body = Map.of("to", HANDSET, "text", "once", "clientMessageId", "retry-1");
        String first = TestHttp.ok(world.call("POST", "/v1/sms", body, alice.auth())).get("id").asText();
        String second = TestHttp.ok(world.call("POST", "/v1/sms", body, alice.auth())).get("id").asText();
        assertEquals(first, second);
        world.awaitStatus(alice, first, "accepted");
        assertEquals(1, world.smsc.textsTo(HANDSET).stream().filter("once"::equals).count());
    }

    @Test
    void verification_perNumberLimit_refusesWith429() throws Exception {
        String number = "+12025550177";
        for (int i = 0; i < 3; i++) {
            assertEquals(200, world.call("POST", "/v1/verification/sessions", Map.of("handle", number), null).statusCode());
        }
        HttpResponse<String> fourth = world.call("POST", "/v1/verification/sessions", Map.of("handle", number), null);
        assertEquals(429, fourth.statusCode());
        assertTrue(fourth.headers().firstValue("Retry-After").isPresent());
        HttpResponse<String> email = world.call("POST", "/v1/verification/sessions", Map.of("handle", "a@example.org"), null);
        assertEquals(400, email.statusCode());
    }

    @Test
    void policy_withSmppOn_publishesWhatIsKeptAndForHowLong() throws Exception {
        JsonNode policy = TestHttp.ok(world.call("GET", "/.well-known/parley/policy", null, null));
        JsonNode sms = category(policy, "sms");
        assertTrue(sms.get("recorded").asBoolean());
        assertTrue(sms.get("retention").asText().startsWith("P30D"), sms.toString());
        assertTrue(sms.toString().contains("deleted then"), "the text's deletion on acceptance is stated");
        JsonNode log = category(policy, "sms-verification-log");
        assertTrue(log.toString().contains("client_ip"), "log-mode full keeps the IP, and says so");
        assertEquals("smpp", policy.path("settings").path("sms.gateway").asText(), policy.path("settings").toString());
    }

    private static JsonNode category(JsonNode policy, String name) {
        for (JsonNode c : policy.get("categories")) {
            if (c.get("name").asText().equals(name)) {
                return c;
            }
        }
        throw new AssertionError("no category " + name);
    }

    private TestSmsc.Submit lastTo(String number) throws InterruptedException {
        Eventually.eventually(() -> world.smsc.delivered().stream().anyMatch(s -> s.destination().equals(number)),
                Duration.ofSeconds(10), "a submit to " + number);
        return world.smsc.delivered().stream().filter(s -> s.destination().equals(number)).toList().getLast();
    }
}
