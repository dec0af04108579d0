// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.client.crypto;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The attachment blob layout: round trips, sizes, and every kind of alteration refused before decrypting. */
class AttachmentCipherTest {
    private final AttachmentCipher cipher = new AttachmentCipher(new SecureRandom());

    @TempDir
    Path dir;

    @Property(tries = 30)
    void encryptDecrypt_anySize_roundTrips_withTheAnnouncedSizes(@ForAll @IntRange(min = 0, max = 200_000) int size)
            throws Exception {
        Path work = Files.createTempDirectory("cipher");
        byte[] plain = new byte[size];
        new SecureRandom().nextBytes(plain);
        Path in = Files.write(work.resolve("in"), plain);
        AttachmentCipher.Sealed sealed = cipher.encrypt(in, work.resolve("blob"));

        assertEquals(size, sealed.size());
        assertEquals(Files.size(work.resolve("blob")), sealed.ciphertextSize());
        assertEquals(AttachmentCipher.ciphertextSize(size), sealed.ciphertextSize());
        assertArrayEquals(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(work.resolve("blob"))),
                sealed.digest());
        cipher.decrypt(work.resolve("blob"), sealed.key(), sealed.digest(), size, work.resolve("out"));
        assertArrayEquals(plain, Files.readAllBytes(work.resolve("out")));
    }

    @Test
    void encrypt_sameFileTwice_freshKeyAndIv() throws Exception {
        Path in = Files.writeString(dir.resolve("in"), "the same picture");
        AttachmentCipher.Sealed a = cipher.encrypt(in, dir.resolve("a"));
        AttachmentCipher.Sealed b = cipher.encrypt(in, dir.resolve("b"));
        assertFalse(java.util.Arrays.equals(a.key(), b.key()));
        assertFalse(java.util.Arrays.equals(Files.readAllBytes(dir.resolve("a")), Files.readAllBytes(dir.resolve("b"))));
        assertFalse(containsPlaintext(Files.readAllBytes(dir.resolve("a")), "the same picture".getBytes(UTF_8)));
    }

    @Test
    void decrypt_anyFlippedByte_isRefused_andNothingIsWritten() throws Exception {
        byte[] plain = new byte[5000];
        new SecureRandom().nextBytes(plain);
        Path in = Files.write(dir.resolve("in"), plain);
        Path blob = dir.resolve("blob");
        AttachmentCipher.Sealed sealed = cipher.encrypt(in, blob);
        byte[] original = Files.readAllBytes(blob);
        // In the IV, the ciphertext, the padding block and the MAC.
        for (int position : List.of(0, 15, 16, 2000, original.length - 40, original.length - 1)) {
            byte[] altered = original.clone();
            altered[position] ^= 0x01;
            Files.write(blob, altered);
            Path out = dir.resolve("out-" + position);
            assertThrows(AttachmentCipher.IntegrityException.class,
                    () -> cipher.decrypt(blob, sealed.key(), sealed.digest(), plain.length, out), "byte " + position);
            assertFalse(Files.exists(out));
        }
        try (var files = Files.list(dir)) {
            assertTrue(files.noneMatch(f -> f.getFileName().toString().endsWith(".part")), "no partial file is left");
        }
    }

    @Test
    void decrypt_wrongDigestOrKeyOrTruncated_isRefused() throws Exception {
        Path in = Files.writeString(dir.resolve("in"), "x".repeat(1000));
        Path blob = dir.resolve("blob");
        AttachmentCipher.Sealed sealed = cipher.encrypt(in, blob);
        byte[] otherDigest = sealed.digest().clone();
        otherDigest[0] ^= 1;
        byte[] otherKey = sealed.key().clone();
        otherKey[40] ^= 1;
        assertThrows(AttachmentCipher.IntegrityException.class,
                () -> cipher.decrypt(blob, sealed.key(), otherDigest, 1000, dir.resolve("o1")));
        assertThrows(AttachmentCipher.IntegrityException.class,
                () -> cipher.decrypt(blob, otherKey, sealed.digest(), 1000, dir.resolve("o2")));
        assertThrows(AttachmentCipher.IntegrityException.class,
                () -> cipher.decrypt(blob, sealed.key(), sealed.digest(), 999, dir.resolve("o3")));
        Files.write(blob, java.util.Arrays.copyOf(Files.readAllBytes(blob), (int) sealed.ciphertextSize() - 16));
        assertThrows(AttachmentCipher.IntegrityException.class,
                () -> cipher.decrypt(blob, sealed.key(), sealed.digest(), 1000, dir.resolve("o4")));
    }

    @Test
    void plaintext_withAttachmentsAndNoBody_roundTrips() throws Exception {
        AttachmentPointer pointer = new AttachmentPointer("abc", "tok", new byte[64], new byte[32], 10, 64,
                "image/jpeg", "a.jpg");
        Plaintext p = Plaintext.message(null, 5, List.of(pointer));
        Plaintext back = Plaintext.decode(p.encode());
        assertEquals(null, back.body());
        assertEquals("a.jpg", back.attachmentList().getFirst().fileName());
        assertArrayEquals(new byte[64], back.attachmentList().getFirst().key());
        // A message without attachments keeps the old JSON: no "attachments" key.
        assertFalse(new String(Plaintext.message("hi", 5, List.of()).encode(), UTF_8).contains("attachments"));
    }

    private static boolean containsPlaintext(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}
