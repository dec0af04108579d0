// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two users exchange messages through the CLI against the real server, both ways, each while the
 * other is offline; at every step no file under the server's data directory (database, WAL,
 * shared memory, dev codes, token) contains the plaintext.
 */
class PlaintextNeverStoredTest {
    @TempDir
    Path serverDir;

    @TempDir
    Path homes;

    private static CliRun parley(String... args) {
        return CliRun.parley(args);
    }

    @Test
    void exchangeBothWays_offlineRecipients_plaintextNeverOnServerDisk() throws Exception {
        try (UserTestServer server = UserTestServer.start(serverDir.resolve("data"))) {
            String alice = "+12025550143";
            String bob = UserTestServer.freshHandle("bob");
            String aliceHome = homes.resolve("alice").toString();
            String bobHome = homes.resolve("bob").toString();
            for (String[] user : new String[][] {{alice, aliceHome}, {bob, bobHome}}) {
                assertEquals(0, parley("register", user[0], "--server", server.url(), "--home", user[1]).exitCode());
                CliRun verify = parley("verify", server.codeFor(user[0]), "--home", user[1]);
                assertEquals(0, verify.exitCode(), verify.err());
            }

            String toBob = "the eagle lands at dawn " + UUID.randomUUID();
            CliRun send = parley("send", bob, toBob, "--home", aliceHome);
            assertEquals(0, send.exitCode(), send.err());
            assertEquals(1, queued(server.dataDir), "the ciphertext waits in Bob's queue");
            assertNotOnDisk(server.dataDir, toBob);

            CliRun bobReceives = parley("receive", "--home", bobHome);
            assertEquals(0, bobReceives.exitCode(), bobReceives.err());
            assertTrue(bobReceives.out().contains(alice + ": " + toBob), bobReceives.out());
            assertEquals(2, queued(server.dataDir),
                    "acked envelopes are deleted; what waits is Bob's delivery and read receipt for Alice");

            String toAlice = "meet me by the old mill " + UUID.randomUUID();
            assertEquals(0, parley("send", alice, toAlice, "--home", bobHome).exitCode());
            CliRun aliceReceives = parley("receive", "--home", aliceHome);
            assertTrue(aliceReceives.out().contains(bob + ": " + toAlice), aliceReceives.out());

            assertNotOnDisk(server.dataDir, toBob);
            assertNotOnDisk(server.dataDir, toAlice);
            // Control: the scan does find what the server does keep, e.g. Bob's handle in the lookup log.
            assertTrue(onDisk(server.dataDir, bob.getBytes(StandardCharsets.UTF_8)), "the scan cannot see stored data");
        }
    }

    private static int queued(Path dataDir) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dataDir.resolve("parley.db"));
             ResultSet rs = c.createStatement().executeQuery("SELECT count(*) FROM messages")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private static boolean onDisk(Path dir, byte[] needle) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path file : walk.filter(Files::isRegularFile).toList()) {
                if (indexOf(Files.readAllBytes(file), needle) >= 0) {
                    return true;
                }
            }
        }
        return false;
    }

    private static void assertNotOnDisk(Path dir, String plaintext) throws IOException {
        List<byte[]> needles = List.of(
                plaintext.getBytes(StandardCharsets.UTF_8),
                plaintext.getBytes(StandardCharsets.UTF_16LE),
                Base64.getEncoder().encodeToString(plaintext.getBytes(StandardCharsets.UTF_8)).substring(0, 24)
                        .getBytes(StandardCharsets.US_ASCII));
        List<Path> files = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.filter(Files::isRegularFile).forEach(files::add);
        }
        assertTrue(files.stream().anyMatch(f -> f.getFileName().toString().startsWith("parley.db")), files.toString());
        for (Path file : files) {
            byte[] content = Files.readAllBytes(file);
            for (byte[] needle : needles) {
                assertEquals(-1, indexOf(content, needle), "plaintext found in " + file);
            }
        }
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
