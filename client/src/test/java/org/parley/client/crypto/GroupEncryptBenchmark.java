// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.client.crypto;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;
import org.signal.libsignal.protocol.groups.GroupCipher;
import org.signal.libsignal.protocol.groups.GroupSessionBuilder;

/**
 * The client's side of a group send to 50 members with 3 devices each: one ciphertext per device
 * under its 1:1 session (150 encrypts in one transaction, as a 1:1 send does them) against one
 * sender-key encrypt shared by all 150 envelopes. Real libsignal, real SQLite state. Not part of
 * the normal suite:
 * <pre>
 * ./.ci/mvn -B -q -o -pl client -am test -Dtest=GroupEncryptBenchmark -Dparley.bench.fanout=true -Dsurefire.failIfNoSpecifiedTests=false
 * </pre>
 */
@EnabledIfSystemProperty(named = "parley.bench.fanout", matches = "true")
class GroupEncryptBenchmark {
    private static final int MEMBERS = 50;
    private static final int DEVICES = 3;
    private static final int ROUNDS = 30;

    @TempDir
    Path dir;

    @Test
    void measure() throws Exception {
        try (TestDevice sender = new TestDevice(dir.resolve("sender"), UUID.randomUUID().toString(), 1, 0)) {
            List<TestDevice> devices = new ArrayList<>();
            for (int m = 0; m < MEMBERS; m++) {
                String account = UUID.randomUUID().toString();
                for (int d = 1; d <= DEVICES; d++) {
                    TestDevice device = new TestDevice(dir.resolve(m + "-" + d), account, d, 1);
                    sender.crypto.startSession(account, device.fetchBundle());
                    device.close();
                    devices.add(device);
                }
            }
            byte[] plaintext = Plaintext.groupMessage("g", "rope at six", 1L).encode();
            UUID distribution = UUID.randomUUID();
            GroupCipher group = new GroupCipher(sender.state.protocolStore(), sender.address());
            sender.state.database().sql(c ->
                    new GroupSessionBuilder(sender.state.protocolStore()).create(sender.address(), distribution));

            long[] pairwise = new long[ROUNDS];
            long[] senderKey = new long[ROUNDS];
            for (int r = 0; r < ROUNDS + 5; r++) {
                long start = System.nanoTime();
                sender.state.database().sql(c -> {
                    for (TestDevice d : devices) {
                        sender.crypto.encrypt(d.address(), plaintext);
                    }
                    return null;
                });
                long middle = System.nanoTime();
                sender.state.database().sql(c -> {
                    try {
                        return group.encrypt(distribution, plaintext).serialize();
                    } catch (org.signal.libsignal.protocol.NoSessionException e) {
                        throw new IllegalStateException(e);
                    }
                });
                long end = System.nanoTime();
                if (r >= 5) {
                    pairwise[r - 5] = middle - start;
                    senderKey[r - 5] = end - middle;
                }
            }
            Arrays.sort(pairwise);
            Arrays.sort(senderKey);
            System.out.printf("group encrypt, 150 devices: pairwise median %7.2f ms p90 %7.2f ms;"
                            + " sender key median %7.3f ms p90 %7.3f ms (%d rounds)%n",
                    pairwise[ROUNDS / 2] / 1e6, pairwise[ROUNDS * 9 / 10] / 1e6,
                    senderKey[ROUNDS / 2] / 1e6, senderKey[ROUNDS * 9 / 10] / 1e6, ROUNDS);
        }
    }
}
