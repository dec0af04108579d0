// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.sms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.testing.Eventually;

/**
 * What must survive: a gateway that drops the connection in the middle of a batch, and a server restart
 * in the middle of one. Nothing is lost, and the handset never gets a part twice (the SMSC recognises a
 * re-submitted part by its client id). Also: the rate limit holds, and the text is gone from disk once
 * the gateway accepted it.
 */
class SmsResilienceTest {
    private static final String ALICE = "+12025550143";
    private static final String HANDSET = "+14155550100";

    @TempDir
    Path dir;

    @Test
    void smscDropsConnectionMidBatch_nothingLostNothingDeliveredTwice() throws Exception {
        try (SmsTestWorld world = new SmsTestWorld(dir.resolve("data"), Map.of())) {
            SmsTestWorld.User alice = world.optedIn(ALICE);
            int bindsBefore = world.smsc.binds();
            world.smsc.dropAfter(5);
            List<String> texts = new ArrayList<>();
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                String text = "two-part message " + i + " " + "x".repeat(170);
                texts.add(text);
                ids.add(world.sms(alice, HANDSET, text));
            }
            world.awaitStatuses(alice, ids, "accepted");

            assertTrue(world.smsc.binds() > bindsBefore, "the link bound again after the drop");
            assertTrue(world.smsc.duplicates() >= 1, "the part whose response was lost was submitted again");
            List<String> got = world.smsc.textsTo(HANDSET);
            for (String text : texts) {
                assertEquals(1, got.stream().filter(text::equals).count(), "exactly once: " + text.substring(0, 20));
            }
            assertEquals(20, world.smsc.delivered().stream().filter(s -> s.destination().equals(HANDSET)).count());
            String metrics = world.call("GET", "/metrics", null, null).body();
            assertTrue(metrics.contains("parley_sms_reconnects_total 1.0") || metrics.matches("(?s).*parley_sms_reconnects_total [1-9].*"),
                    "reconnects are counted");
        }
    }

    @Test
    void serverRestartsMidBatch_nothingLostNothingDeliveredTwice() throws Exception {
        try (SmsTestWorld world = new SmsTestWorld(dir.resolve("data"),
                Map.of("PARLEY_SMS_SMPP_SUBMITS_PER_SECOND", "10"))) {
            SmsTestWorld.User alice = world.optedIn(ALICE);
            List<String> texts = new ArrayList<>();
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                String text = "restart " + i;
                texts.add(text);
                ids.add(world.sms(alice, HANDSET, text));
            }
            Eventually.eventually(() -> world.smsc.textsTo(HANDSET).size() >= 4, Duration.ofSeconds(20), "a few sent");
            world.stop();
            int beforeRestart = world.smsc.textsTo(HANDSET).size();
            assertTrue(beforeRestart < 20, "the restart came in the middle of the batch (" + beforeRestart + " sent)");

            world.start();
            world.awaitStatuses(alice, ids, "accepted");
            List<String> got = world.smsc.textsTo(HANDSET);
            for (String text : texts) {
                assertEquals(1, got.stream().filter(text::equals).count(), "exactly once: " + text);
            }
        }
    }

    @Test
    void throttle_holdsTheConfiguredSubmitsPerSecond() throws Exception {
        int rate = 20;
        try (SmsTestWorld world = new SmsTestWorld(dir.resolve("data"),
                Map.of("PARLEY_SMS_SMPP_SUBMITS_PER_SECOND", Integer.toString(rate), "PARLEY_SMS_SMPP_WINDOW", "5"))) {
            SmsTestWorld.User alice = world.optedIn(ALICE);
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < 30; i++) {
                ids.add(world.sms(alice, HANDSET, "rate " + i));
            }
            world.awaitStatuses(alice, ids, "accepted");
            List<Long> times = world.smsc.delivered().stream().filter(s -> s.destination().equals(HANDSET))
                    .map(TestSmsc.Submit::nanoTime).sorted().toList();
            double seconds = (times.getLast() - times.getFirst()) / 1e9;
            double observed = (times.size() - 1) / seconds;
            // Loose: a shared CI machine may be slower, never faster than the pacing allows.
            assertTrue(observed <= rate * 1.15, "observed " + observed + " submits/s against a limit of " + rate);
        }
    }

    @Test
    void bodyOfAcceptedSms_isNotInAnyFileOfTheDataDirectory() throws Exception {
        Path data = dir.resolve("data");
        String marker = "sms-body-" + UUID.randomUUID();
        String unicode = "тайна-" + UUID.randomUUID();
        try (SmsTestWorld world = new SmsTestWorld(data, Map.of())) {
            SmsTestWorld.User alice = world.optedIn(ALICE);
            String a = world.sms(alice, HANDSET, marker);
            String b = world.sms(alice, HANDSET, unicode);
            world.awaitStatuses(alice, List.of(a, b), "accepted");
            world.stop();
        }
        assertFalse(onDisk(data, marker.getBytes(StandardCharsets.UTF_8)), "GSM text on disk");
        assertFalse(onDisk(data, unicode.getBytes(StandardCharsets.UTF_8)), "UCS-2 text on disk (UTF-8)");
        assertFalse(onDisk(data, unicode.getBytes(StandardCharsets.UTF_16BE)), "UCS-2 text on disk (UTF-16)");
        // Control: the scan sees what the server does keep for sms.retention, the recipient.
        assertTrue(onDisk(data, HANDSET.getBytes(StandardCharsets.UTF_8)), "the scan cannot see stored data");
    }

    private static boolean onDisk(Path root, byte[] needle) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                byte[] content = Files.readAllBytes(f);
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
}
