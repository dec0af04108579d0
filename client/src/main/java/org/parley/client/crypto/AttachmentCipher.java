// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.client.crypto;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Attachment encryption as Signal does it: a fresh 64-byte key per attachment (32 bytes AES-256, 32
 * bytes HMAC-SHA256), and the blob {@code IV (16) || AES-256-CBC/PKCS7(plaintext) || HMAC-SHA256(IV ||
 * ciphertext) (32)}: encrypt-then-MAC. The message also carries the SHA-256 of the whole blob, so the
 * recipient checks that it got exactly the blob the sender uploaded (not merely some blob under the
 * same key) before it decrypts a byte.
 *
 * <p>Why CBC + HMAC and not AES-GCM: both directions stream with constant memory through the JDK
 * (the JDK's GCM decryption holds back all plaintext until the tag verifies, i.e. the whole 100 MiB
 * file in memory), the MAC is checked over the whole blob before any plaintext is written, and the
 * layout is the one Signal's clients use, well studied. Chunked GCM would need a framing of our own.
 */
public final class AttachmentCipher {
    public static final int KEY_BYTES = 64;
    private static final int IV_BYTES = 16;
    private static final int MAC_BYTES = 32;
    private static final int BUFFER = 64 * 1024;

    private final SecureRandom random;

    public AttachmentCipher(SecureRandom random) {
        this.random = random;
    }

    /** What encrypting produced: the key and digest for the pointer, and the sizes. */
    public record Sealed(byte[] key, byte[] digest, long size, long ciphertextSize) {}

    /** The tampered, truncated or substituted blob: digest or MAC do not match. Nothing was decrypted. */
    public static final class IntegrityException extends Exception {
        private static final long serialVersionUID = 1L;

        IntegrityException(String message) {
            super(message);
        }
    }

    /** Length of the blob for a plaintext of {@code size} bytes. */
    public static long ciphertextSize(long size) {
        return IV_BYTES + (size / 16 + 1) * 16 + MAC_BYTES;
    }

    /** Encrypts {@code plaintext} into {@code blob} under a fresh key. */
    public Sealed encrypt(Path plaintext, Path blob) throws IOException {
        byte[] key = new byte[KEY_BYTES];
        random.nextBytes(key);
        byte[] iv = new byte[IV_BYTES];
        random.nextBytes(iv);
        try {
            Cipher aes = Cipher.getInstance("AES/CBC/PKCS5Padding");
            aes.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, 0, 32, "AES"), new IvParameterSpec(iv));
            Mac mac = mac(key);
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            long size = 0;
            try (InputStream in = Files.newInputStream(plaintext); OutputStream out = Files.newOutputStream(blob)) {
                emit(iv, out, mac, sha);
                byte[] buffer = new byte[BUFFER];
                int n;
                while ((n = in.read(buffer)) > 0) {
                    size += n;
                    byte[] part = aes.update(buffer, 0, n);
                    if (part != null) {
                        emit(part, out, mac, sha);
                    }
                }
                emit(aes.doFinal(), out, mac, sha);
                byte[] tag = mac.doFinal();
                out.write(tag);
                sha.update(tag);
            }
            return new Sealed(key, sha.digest(), size, ciphertextSize(size));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK lacks AES-CBC, HMAC-SHA256 or SHA-256", e);
        }
    }

    /**
     * Checks {@code blob} against {@code digest} and its MAC, and only then decrypts it into {@code
     * plaintext} (written to a temporary file next to it and moved into place, so a failure leaves no
     * partial file).
     *
     * @throws IntegrityException when the blob is not the one the sender uploaded
     */
    public void decrypt(Path blob, byte[] key, byte[] digest, long size, Path plaintext)
            throws IOException, IntegrityException {
        if (key == null || key.length != KEY_BYTES || digest == null || digest.length != 32) {
            throw new IntegrityException("the attachment's key or digest is malformed");
        }
        long length = Files.size(blob);
        if (length != ciphertextSize(size) || length < IV_BYTES + 16 + MAC_BYTES) {
            throw new IntegrityException("the attachment is " + length + " bytes, not the " + ciphertextSize(size)
                    + " its message announced");
        }
        try {
            verify(blob, key, digest, length);
            Cipher aes = Cipher.getInstance("AES/CBC/PKCS5Padding");
            Path temp = Files.createTempFile(plaintext.toAbsolutePath().getParent(), ".attachment", ".part");
            try {
                long written = 0;
                try (InputStream in = Files.newInputStream(blob); OutputStream out = Files.newOutputStream(temp)) {
                    byte[] iv = in.readNBytes(IV_BYTES);
                    aes.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, 0, 32, "AES"), new IvParameterSpec(iv));
                    long left = length - IV_BYTES - MAC_BYTES;
                    byte[] buffer = new byte[BUFFER];
                    while (left > 0) {
                        int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
                        if (n < 0) {
                            throw new IntegrityException("the attachment changed while it was decrypted");
                        }
                        left -= n;
                        byte[] part = aes.update(buffer, 0, n);
                        if (part != null) {
                            out.write(part);
                            written += part.length;
                        }
                    }
                    byte[] last = aes.doFinal();
                    out.write(last);
                    written += last.length;
                }
                if (written != size) {
                    throw new IntegrityException("the attachment decrypted to " + written + " bytes, not " + size);
                }
                Files.move(temp, plaintext, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(temp);
            }
        } catch (javax.crypto.BadPaddingException | javax.crypto.IllegalBlockSizeException e) {
            throw new IntegrityException("the attachment does not decrypt under its key");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK lacks AES-CBC, HMAC-SHA256 or SHA-256", e);
        }
    }

    /** One pass over the blob: its SHA-256 and its MAC, both compared in constant time. */
    private static void verify(Path blob, byte[] key, byte[] digest, long length)
            throws IOException, GeneralSecurityException, IntegrityException {
        Mac mac = mac(key);
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        byte[] tag;
        try (InputStream in = Files.newInputStream(blob)) {
            long left = length - MAC_BYTES;
            byte[] buffer = new byte[BUFFER];
            while (left > 0) {
                int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
                if (n < 0) {
                    throw new IntegrityException("the attachment is shorter than announced");
                }
                mac.update(buffer, 0, n);
                sha.update(buffer, 0, n);
                left -= n;
            }
            tag = in.readNBytes(MAC_BYTES);
            sha.update(tag);
        }
        boolean digestOk = MessageDigest.isEqual(sha.digest(), digest);
        boolean macOk = MessageDigest.isEqual(mac.doFinal(), tag);
        if (!digestOk || !macOk) {
            throw new IntegrityException("the attachment was altered: its " + (digestOk ? "MAC" : "digest")
                    + " does not match; it was not saved");
        }
    }

    private static Mac mac(byte[] key) throws GeneralSecurityException {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(Arrays.copyOfRange(key, 32, 64), "HmacSHA256"));
        return mac;
    }

    private static void emit(byte[] bytes, OutputStream out, Mac mac, MessageDigest sha) throws IOException {
        out.write(bytes);
        mac.update(bytes);
        sha.update(bytes);
    }
}
