// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.cli;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;
import org.parley.client.ParleyClient;
import org.parley.client.ReceiveOptions;
import org.parley.client.ReceivedMessage;
import org.parley.client.crypto.AttachmentPointer;
import org.parley.server.testing.S3TestServer;

/**
 * Attachment throughput for docs/performance.md: a 50 MiB file sent by the client library (encrypt,
 * upload in 5 MiB pieces, send the message) and received (download, verify digest and MAC, decrypt),
 * against the real server on loopback, once with the local store and once with the S3 store on
 * s3proxy. Three runs each; prints MiB/s per run. Not part of the normal suite; run it with
 * <pre>
 * ./.ci/mvn -B -q -o -pl cli -am test -Dtest=AttachmentThroughputBenchmark -Dparley.bench.attachments=true -Dsurefire.failIfNoSpecifiedTests=false
 * </pre>
 */
@EnabledIfSystemProperty(named = "parley.bench.attachments", matches = "true")
class AttachmentThroughputBenchmark {
    private static final int MIB = 1024 * 1024;
    private static final int SIZE_MIB = 50;

    @TempDir
    Path dir;

    @Test
    void measure() throws Exception {
        Path file = dir.resolve("fifty.bin");
        try (OutputStream out = Files.newOutputStream(file)) {
            byte[] mib = new byte[MIB];
            Random random = new Random(1);
            for (int i = 0; i < SIZE_MIB; i++) {
                random.nextBytes(mib);
                out.write(mib);
            }
        }
        try (S3TestServer s3 = S3TestServer.start(dir.resolve("s3"))) {
            run("local", dir.resolve("local"), Map.of(), file);
            run("s3", dir.resolve("s3data"), s3.env(), file);
        }
    }

    private static void run(String store, Path data, Map<String, String> env, Path file) throws Exception {
        try (UserTestServer server = UserTestServer.start(data, env);
             ParleyClient alice = server.register(data.resolve("alice"), UserTestServer.freshHandle("alice"));
             ParleyClient bob = server.register(data.resolve("bob"), UserTestServer.freshHandle("bob"))) {
            String bobHandle = bob.account().orElseThrow().handle();
            for (int i = 1; i <= 3; i++) {
                long start = System.nanoTime();
                alice.send(bobHandle, null, List.of(file));
                double sendSeconds = (System.nanoTime() - start) / 1e9;
                List<AttachmentPointer> pointers = new ArrayList<>();
                bob.receive(ReceiveOptions.drain(), event -> {
                    if (event instanceof ReceivedMessage m) {
                        pointers.addAll(m.attachments());
                    }
                });
                start = System.nanoTime();
                Path saved = bob.download(pointers.getFirst(), data.resolve("saved-" + i));
                double receiveSeconds = (System.nanoTime() - start) / 1e9;
                Files.delete(saved);
                System.out.printf("attachments %s run %d: send (encrypt + upload) %.1f MiB/s, receive (download + verify"
                        + " + decrypt) %.1f MiB/s%n", store, i, SIZE_MIB / sendSeconds, SIZE_MIB / receiveSeconds);
            }
        }
    }
}
