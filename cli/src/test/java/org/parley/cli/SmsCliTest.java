// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.protocol.Json;
import org.parley.server.ParleyServer;
import org.parley.server.config.ConfigLoader;
import org.parley.server.sms.TestSmsc;
import org.parley.testing.Eventually;

/**
 * SMS fallback from the command line against the real server and a real SMPP peer: refused without an
 * explicit choice, sent with {@code --sms} after the account opted in, honestly labelled, and the
 * delivery receipt shows up in {@code parley sms status}.
 */
class SmsCliTest {
    private static final String HANDSET = "+14155550100";

    @TempDir
    Path dir;

    @Test
    void sendSms_optedInWithFlag_sendsAndStatusFollowsTheReceipt() throws Exception {
        try (TestSmsc smsc = TestSmsc.start();
             ParleyServer server = ParleyServer.start(ConfigLoader.load(null, smsc.env(true, false))
                     .withHttp("127.0.0.1", 0, dir.resolve("data")), Clock.systemUTC())) {
            String url = "http://127.0.0.1:" + server.port();
            String alice = "+12025550143";
            String home = dir.resolve("alice").toString();
            assertEquals(0, CliRun.parley("register", alice, "--server", url, "--home", home).exitCode());
            String code = Files.readString(server.config().http().dataDir().resolve("dev-codes").resolve(alice)).strip();
            assertEquals(0, CliRun.parley("verify", code, "--home", home).exitCode());

            CliRun noChoice = CliRun.parley("send", HANDSET, "hello", "there", "--home", home);
            assertEquals(3, noChoice.exitCode(), noChoice.err());
            assertEquals(HANDSET + " is not on Parley; send it by SMS instead\n", noChoice.err(), "today's line, unchanged");
            assertTrue(smsc.submits().isEmpty(), "nothing goes out without the user's choice");

            CliRun notOptedIn = CliRun.parley("send", "--sms", HANDSET, "hello", "--home", home);
            assertEquals(2, notOptedIn.exitCode());
            assertTrue(notOptedIn.err().contains("parley account sms on"), notOptedIn.err());

            CliRun on = CliRun.parley("account", "sms", "on", "--home", home);
            assertEquals(0, on.exitCode(), on.err());
            assertTrue(on.out().contains("SMS fallback is on"), on.out());

            smsc.autoReceipt(2);
            CliRun sent = CliRun.parley("send", "--sms", "--json", HANDSET, "hello", "there", "--home", home);
            assertEquals(0, sent.exitCode(), sent.err());
            assertTrue(sent.err().contains("NOT end-to-end encrypted"), sent.err());
            JsonNode json = Json.lenient().readTree(sent.out());
            assertEquals("sms", json.get("route").asText());
            assertFalse(json.get("encrypted").asBoolean());
            String id = json.get("smsId").asText();

            Eventually.eventually(() -> CliRun.parley("sms", "status", id, "--home", home).out().contains(" delivered "),
                    Duration.ofSeconds(20), "the receipt in parley sms status");
            CliRun status = CliRun.parley("sms", "status", id, "--home", home);
            assertEquals(0, status.exitCode(), status.err());
            assertTrue(status.out().contains("to " + HANDSET + "  delivered  (1 part: delivered, gsm7)"), status.out());
            assertEquals(List.of("hello there"), smsc.textsTo(HANDSET));

            CliRun emailTarget = CliRun.parley("send", "--sms", "nobody@example.org", "hi", "--home", home);
            assertEquals(3, emailTarget.exitCode());
            assertTrue(emailTarget.err().contains("SMS cannot reach an email address"), emailTarget.err());

            assertEquals(0, CliRun.parley("account", "sms", "off", "--home", home).exitCode());
            assertEquals(2, CliRun.parley("send", "--sms", HANDSET, "again", "--home", home).exitCode());
        }
    }
}
