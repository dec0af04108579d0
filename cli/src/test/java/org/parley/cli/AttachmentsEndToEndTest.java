// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;
import org.parley.client.ParleyClient;
import org.parley.client.ReceiveOptions;
import org.parley.client.ReceivedMessage;
import org.parley.client.SendResult;
import org.parley.client.crypto.AttachmentCipher;
import org.parley.client.crypto.AttachmentPointer;
import org.parley.protocol.Json;
import org.parley.server.testing.DataFiles;
import org.parley.server.testing.S3TestServer;

/**
 * Attachments end to end through the CLI, with the real server, real libsignal sessions and, for the
 * S3 store, a real S3-compatible server (s3proxy): a 50 MiB file goes from Alice to Bob over a network
 * that fails mid-upload (the upload resumes from the server's offset), arrives with its digest
 * verified, and none of its plaintext is on the server's disk or in the object store; a blob altered
 * on the server is refused by the receiver.
 */
@ParameterizedClass
@EnumSource(AttachmentsEndToEndTest.Store.class)
class AttachmentsEndToEndTest {
    enum Store {
        LOCAL, S3
    }

    private static final int MIB = 1024 * 1024;

    @Parameter
    Store store;

    @TempDir
    static Path dir;

    private static S3TestServer s3;

    @BeforeAll
    static void startS3() throws Exception {
        s3 = S3TestServer.start(dir.resolve("s3"));
    }

    @AfterAll
    static void stopS3() throws Exception {
        s3.close();
    }

    private UserTestServer start(String name) {
        return UserTestServer.start(dir.resolve(name + "-" + store), store == Store.S3 ? s3.env() : Map.of());
    }

    private static String register(UserTestServer server, Path home, String name) {
        String handle = UserTestServer.freshHandle(name);
        CliRun.ok("register", handle, "--server", server.url(), "--home", home.toString());
        CliRun.ok("verify", server.codeFor(handle), "--home", home.toString());
        return handle;
    }

    /** Where blob bytes live for this store: the data directory, plus the object store's files. */
    private List<Path> storage(UserTestServer server) {
        return store == Store.S3 ? List.of(server.dataDir, s3.storage()) : List.of(server.dataDir);
    }

    @Test
    void fiftyMiB_overAFailingNetwork_roundTripsWithDigestVerified_andNoPlaintextOnServerDisk() throws Exception {
        Path homes = dir.resolve("homes-big-" + store);
        try (UserTestServer server = start("big"); TcpProxy flaky = TcpProxy.start(server.port())) {
            Path alice = homes.resolve("alice");
            Path bob = homes.resolve("bob");
            register(server, alice, "alice");
            String bobHandle = register(server, bob, "bob");

            // Random bytes with a marker every MiB: the marker is the plaintext we look for on disk.
            byte[] marker = ("PLAINTEXT-MARKER-" + HexFormat.of().formatHex(new byte[8]) + System.nanoTime())
                    .getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            Path file = homes.resolve("holiday.bin");
            Files.createDirectories(homes);
            Random random = new Random(42);
            try (OutputStream out = Files.newOutputStream(file)) {
                byte[] mib = new byte[MIB];
                for (int i = 0; i < 50; i++) {
                    random.nextBytes(mib);
                    System.arraycopy(marker, 0, mib, 4096, marker.length);
                    out.write(mib);
                }
            }
            // The network fails once, in the middle of the third piece of the upload.
            flaky.cutAfterUpstreamBytes(12L * MIB);
            CliRun sent = CliRun.ok("send", bobHandle, "--attach", file.toString(), "the", "photos", "--home",
                    alice.toString(), "--server", flaky.url(), "--json");
            assertTrue(flaky.hasCut(), "the upload went through a connection reset");
            assertEquals(1, Json.lenient().readTree(sent.out()).path("attachments").asInt(), sent.out());

            for (Path root : storage(server)) {
                assertEquals(List.of(), DataFiles.containing(root, marker), "plaintext of the attachment under " + root);
            }

            Path saved = homes.resolve("bob-downloads");
            CliRun received = CliRun.ok("receive", "--home", bob.toString(), "--attachments", saved.toString(), "--json");
            JsonNode message = Json.lenient().readTree(received.out()).get(0);
            assertEquals("the photos", message.path("text").asText());
            JsonNode attachment = message.path("attachments").get(0);
            assertTrue(attachment.path("digestVerified").asBoolean(), received.out());
            assertEquals("holiday.bin", attachment.path("fileName").asText());
            assertEquals(50L * MIB, attachment.path("size").asLong());
            Path path = Path.of(attachment.path("path").asText());
            assertTrue(path.startsWith(saved.toAbsolutePath()), path.toString());
            assertArrayEquals(sha256(file), sha256(path));
        }
    }

    @Test
    void blobAlteredOnTheServer_isRefusedByTheReceiver_andNotSaved() throws Exception {
        Path homes = dir.resolve("homes-tamper-" + store);
        try (UserTestServer server = start("tamper")) {
            Path alice = homes.resolve("alice");
            Path bob = homes.resolve("bob");
            register(server, alice, "alice");
            String bobHandle = register(server, bob, "bob");
            Path file = homes.resolve("note.txt");
            byte[] content = new byte[100_000];
            new Random(1).nextBytes(content);
            Files.write(file, content);
            CliRun.ok("send", bobHandle, "--attach", file.toString(), "--home", alice.toString());

            // One flipped bit in the stored ciphertext, as a compromised server or store could do.
            Path blob = blobFile(server, AttachmentCipher.ciphertextSize(content.length));
            try (FileChannel channel = FileChannel.open(blob, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                java.nio.ByteBuffer one = java.nio.ByteBuffer.allocate(1);
                channel.read(one, 5000);
                one.put(0, (byte) (one.get(0) ^ 1));
                channel.write(one.flip(), 5000);
            }

            Path saved = homes.resolve("bob-downloads");
            CliRun received = CliRun.ok("receive", "--home", bob.toString(), "--attachments", saved.toString(), "--json");
            JsonNode attachment = Json.lenient().readTree(received.out()).get(0).path("attachments").get(0);
            assertEquals("attachment_rejected", attachment.path("error").asText(), received.out());
            assertTrue(received.err().contains("was not saved"), received.err());
            try (Stream<Path> files = Files.list(saved)) {
                assertEquals(List.of(), files.toList(), "nothing of the altered attachment is saved");
            }
        }
    }

    @Test
    void forward_renewsTheBlob_andTheNextRecipientDownloadsIt() throws Exception {
        Path homes = dir.resolve("homes-forward-" + store);
        try (UserTestServer server = start("forward")) {
            Files.createDirectories(homes);
            String aliceHandle = UserTestServer.freshHandle("alice");
            String bobHandle = UserTestServer.freshHandle("bob");
            String carolHandle = UserTestServer.freshHandle("carol");
            try (ParleyClient alice = server.register(homes.resolve("alice"), aliceHandle);
                 ParleyClient bob = server.register(homes.resolve("bob"), bobHandle);
                 ParleyClient carol = server.register(homes.resolve("carol"), carolHandle)) {
                Path file = Files.writeString(homes.resolve("menu.txt"), "soup, bread, " + System.nanoTime());
                alice.send(bobHandle, "tonight", List.of(file));
                List<AttachmentPointer> got = new java.util.ArrayList<>();
                bob.receive(ReceiveOptions.drain(), e -> {
                    if (e instanceof ReceivedMessage m) {
                        got.addAll(m.attachments());
                    }
                });
                assertEquals(1, got.size());
                // Bob passes it on without uploading it again; the blob's life starts over.
                assertTrue(bob.forward(carolHandle, "from Alice", got) instanceof SendResult.Delivered);
                List<AttachmentPointer> forwarded = new java.util.ArrayList<>();
                carol.receive(ReceiveOptions.drain(), e -> {
                    if (e instanceof ReceivedMessage m) {
                        forwarded.addAll(m.attachments());
                    }
                });
                Path saved = carol.download(forwarded.getFirst(), homes.resolve("carol-downloads"));
                assertEquals(Files.readString(file), Files.readString(saved));
                assertEquals("menu.txt", saved.getFileName().toString());
            }
        }
    }

    /** The newest stored blob of {@code size} bytes in this store. */
    private Path blobFile(UserTestServer server, long size) throws IOException {
        Path root = store == Store.S3 ? s3.storage().resolve(S3TestServer.BUCKET) : server.dataDir.resolve("attachments");
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(Files::isRegularFile).filter(f -> sizeOf(f) == size)
                    .max(Comparator.comparing(AttachmentsEndToEndTest::modified)).orElseThrow();
        }
    }

    private static long sizeOf(Path f) {
        try {
            return Files.size(f);
        } catch (IOException e) {
            return -1;
        }
    }

    private static java.nio.file.attribute.FileTime modified(Path f) {
        try {
            return Files.getLastModifiedTime(f);
        } catch (IOException e) {
            return java.nio.file.attribute.FileTime.fromMillis(0);
        }
    }

    private static byte[] sha256(Path file) throws Exception {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buffer = new byte[1 << 16];
            for (int n = in.read(buffer); n > 0; n = in.read(buffer)) {
                sha.update(buffer, 0, n);
            }
        }
        return sha.digest();
    }
}
