// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.sealedsender;

import static org.parley.server.delivery.DeliveryTestServer.REGISTRATION_ID;
import static org.parley.server.delivery.DeliveryTestServer.ok;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;
import org.parley.protocol.AccessKeySettings;
import org.parley.protocol.MessageType;
import org.parley.protocol.MultiRecipientRequest;
import org.parley.protocol.MultiRecipientRequest.RecipientMessages;
import org.parley.protocol.OutgoingMessage;
import org.parley.protocol.SealedMultiRecipientRequest;
import org.parley.protocol.SealedMultiRecipientRequest.SealedRecipient;
import org.parley.server.delivery.DeliveryTestServer;
import org.parley.server.testing.AccountsTestServer.Device;

/**
 * What sealing a group send costs the server: one identified {@code PUT /v1/messages/multi} against one
 * {@code PUT /v1/sealed-messages/multi} (an access-key check and two limit counts per account), 50
 * members with 3 devices each (150 envelopes of 400 bytes, about a sealed padded group text), on the real
 * server (HTTP, SQLite with synchronous=FULL), rounds interleaved (A, B, A, B, ...) so both see the same
 * machine load. Prints the medians and their ratio. The client's cost (one sealing per device) is not in
 * it. Not part of the normal suite:
 * <pre>
 * ./.ci/mvn -B -q -o -pl server -am test -Dtest=SealedGroupFanoutBenchmark -Dparley.bench.fanout=true -Dsurefire.failIfNoSpecifiedTests=false
 * </pre>
 */
@EnabledIfSystemProperty(named = "parley.bench.fanout", matches = "true")
class SealedGroupFanoutBenchmark {
    private static final int MEMBERS = 50;
    private static final int DEVICES = 3;
    private static final int WARMUP = 5;
    private static final int ROUNDS = 30;

    @TempDir
    Path dir;

    @Test
    void measure() {
        try (DeliveryTestServer server = DeliveryTestServer.start(dir)) {
            Device sender = server.register("sender@example.org");
            List<Device> members = new ArrayList<>();
            List<byte[]> keys = new ArrayList<>();
            SecureRandom random = new SecureRandom();
            for (int i = 0; i < MEMBERS; i++) {
                Device m = server.register("member" + i + "@example.org");
                for (int d = 2; d <= DEVICES; d++) {
                    server.addDevice(m, d, REGISTRATION_ID);
                }
                byte[] key = new byte[AccessKeySettings.KEY_BYTES];
                random.nextBytes(key);
                server.send("PUT", "/v1/me/access-key", new AccessKeySettings(key, false), m.auth());
                members.add(m);
                keys.add(key);
            }
            byte[] ciphertext = new byte[400];
            random.nextBytes(ciphertext);
            List<OutgoingMessage> identified = new ArrayList<>();
            List<OutgoingMessage> sealed = new ArrayList<>();
            for (int d = 1; d <= DEVICES; d++) {
                identified.add(new OutgoingMessage(d, REGISTRATION_ID, MessageType.SENDER_KEY, ciphertext));
                sealed.add(new OutgoingMessage(d, REGISTRATION_ID, MessageType.SEALED, ciphertext));
            }
            Runnable a = () -> ok(server.send("PUT", "/v1/messages/multi", new MultiRecipientRequest(server.clock.millis(),
                    members.stream().map(m -> new RecipientMessages(m.accountId(), identified)).toList()), sender.auth()));
            List<SealedRecipient> recipients = new ArrayList<>();
            for (int i = 0; i < MEMBERS; i++) {
                recipients.add(new SealedRecipient(members.get(i).accountId(), keys.get(i), sealed));
            }
            Runnable b = () -> ok(server.send("PUT", "/v1/sealed-messages/multi",
                    new SealedMultiRecipientRequest(server.clock.millis(), recipients), null));

            long[] identifiedNanos = new long[ROUNDS];
            long[] sealedNanos = new long[ROUNDS];
            for (int i = 0; i < WARMUP + ROUNDS; i++) {
                long ta = time(a, server);
                long tb = time(b, server);
                if (i >= WARMUP) {
                    identifiedNanos[i - WARMUP] = ta;
                    sealedNanos[i - WARMUP] = tb;
                }
            }
            Arrays.sort(identifiedNanos);
            Arrays.sort(sealedNanos);
            double ma = identifiedNanos[ROUNDS / 2] / 1e6;
            double mb = sealedNanos[ROUNDS / 2] / 1e6;
            System.out.printf("group fan-out, 150 envelopes: identified multi median %7.2f ms (p90 %7.2f), sealed multi"
                            + " median %7.2f ms (p90 %7.2f), sealed/identified %.2f (%d interleaved rounds)%n",
                    ma, identifiedNanos[ROUNDS * 9 / 10] / 1e6, mb, sealedNanos[ROUNDS * 9 / 10] / 1e6, mb / ma, ROUNDS);
        }
    }

    private static long time(Runnable send, DeliveryTestServer server) {
        long start = System.nanoTime();
        send.run();
        long took = System.nanoTime() - start;
        // Same table size every round; a new minute so the sealed-sender limits never refuse.
        server.store.deleteExpired(java.time.Instant.ofEpochMilli(Long.MAX_VALUE));
        server.clock.advance(Duration.ofMinutes(1));
        return took;
    }
}
