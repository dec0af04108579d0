// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.messages;

import static org.parley.server.delivery.DeliveryTestServer.REGISTRATION_ID;
import static org.parley.server.delivery.DeliveryTestServer.ok;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;
import org.parley.protocol.MessageType;
import org.parley.protocol.MultiRecipientRequest;
import org.parley.protocol.MultiRecipientRequest.RecipientMessages;
import org.parley.protocol.OutgoingMessage;
import org.parley.protocol.SendMessageRequest;
import org.parley.server.delivery.DeliveryTestServer;
import org.parley.server.testing.AccountsTestServer.Device;

/**
 * Group fan-out to 50 members with 3 devices each (150 envelopes), against the real server (HTTP,
 * SQLite with synchronous=FULL): one {@code PUT /v1/messages/multi} against 50 separate
 * {@code PUT /v1/messages/{accountId}}, one after the other and all at once. Each envelope is a
 * 250-byte ciphertext (a padded group text under a sender key is about that). Prints the median and
 * 90th percentile of the time to have all 150 envelopes committed. Not part of the normal suite:
 * <pre>
 * ./.ci/mvn -B -q -o -pl server -am test -Dtest=GroupFanoutBenchmark -Dparley.bench.fanout=true -Dsurefire.failIfNoSpecifiedTests=false
 * </pre>
 */
@EnabledIfSystemProperty(named = "parley.bench.fanout", matches = "true")
class GroupFanoutBenchmark {
    private static final int MEMBERS = 50;
    private static final int DEVICES = 3;
    private static final int WARMUP = 5;
    private static final int ROUNDS = 30;

    @TempDir
    Path dir;

    @Test
    void measure() throws Exception {
        try (DeliveryTestServer server = DeliveryTestServer.start(dir)) {
            Device sender = server.register("sender@example.org");
            List<Device> members = new ArrayList<>();
            for (int i = 0; i < MEMBERS; i++) {
                Device m = server.register("member" + i + "@example.org");
                for (int d = 2; d <= DEVICES; d++) {
                    server.addDevice(m, d, REGISTRATION_ID);
                }
                members.add(m);
            }
            byte[] ciphertext = new byte[250];
            new SecureRandom().nextBytes(ciphertext);
            List<OutgoingMessage> perAccount = new ArrayList<>();
            for (int d = 1; d <= DEVICES; d++) {
                perAccount.add(new OutgoingMessage(d, REGISTRATION_ID, MessageType.SENDER_KEY, ciphertext));
            }

            Runnable multi = () -> ok(server.send("PUT", "/v1/messages/multi", new MultiRecipientRequest(
                    server.clock.millis(), members.stream().map(m -> new RecipientMessages(m.accountId(), perAccount))
                    .toList()), sender.auth()));
            Runnable sequential = () -> members.forEach(m -> ok(server.send(sender, m.accountId(),
                    new SendMessageRequest(server.clock.millis(), perAccount, List.of()))));
            Runnable parallel = () -> {
                try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
                    List<Future<?>> all = new ArrayList<>();
                    for (Device m : members) {
                        all.add(pool.submit(() -> ok(server.send(sender, m.accountId(),
                                new SendMessageRequest(server.clock.millis(), perAccount, List.of())))));
                    }
                    for (Future<?> f : all) {
                        f.get();
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            };
            report("one multi-recipient PUT (150 envelopes)", multi, server);
            report("50 PUTs one after the other (3 each) ", sequential, server);
            report("50 PUTs at once (3 each)             ", parallel, server);
        }
    }

    private static void report(String label, Runnable fanOut, DeliveryTestServer server) {
        for (int i = 0; i < WARMUP; i++) {
            fanOut.run();
            server.store.deleteExpired(java.time.Instant.ofEpochMilli(Long.MAX_VALUE));
        }
        long[] nanos = new long[ROUNDS];
        for (int i = 0; i < ROUNDS; i++) {
            long start = System.nanoTime();
            fanOut.run();
            nanos[i] = System.nanoTime() - start;
            // Empty the queues between rounds, so every round inserts into the same table size.
            server.store.deleteExpired(java.time.Instant.ofEpochMilli(Long.MAX_VALUE));
        }
        java.util.Arrays.sort(nanos);
        System.out.printf("group fan-out %s: median %7.2f ms  p90 %7.2f ms  (%d rounds)%n", label,
                nanos[ROUNDS / 2] / 1e6, nanos[ROUNDS * 9 / 10] / 1e6, ROUNDS);
    }
}
