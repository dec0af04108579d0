// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.protocol.oprf;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.List;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.parley.protocol.DeviceInfo;
import org.parley.protocol.Json;

/**
 * What client and server derive from a handle's OPRF output (32 bytes, {@link Oprf}) for the private
 * lookup: the bucket hash (whose first bits name the bucket), the tag that finds the entry inside the
 * bucket and the AES-256-GCM key that opens its pointer. Each is HMAC-SHA256 keyed by the output with
 * its own label, so none reveals another, and none can be computed without the server's evaluation.
 */
public final class PrivateLookupKeys {
    /** Bytes of a tag: 128 bits, so two handles in one bucket never share one in practice. */
    public static final int TAG_SIZE = 16;
    private static final int NONCE_SIZE = 12;
    private static final int GCM_TAG_BITS = 128;

    private PrivateLookupKeys() {}

    /** What a pointer seals: the account and the devices a sender encrypts to. */
    public record Pointer(String accountId, List<DeviceInfo> devices) {}

    /** The 32-bit bucket hash; bucket {@code b} bits wide is its first {@code b} bits. */
    public static int bucketHash(byte[] oprfOutput) {
        return ByteBuffer.wrap(hmac(oprfOutput, "parley private lookup bucket")).getInt();
    }

    /** The bucket of {@code bucketHash} when buckets are {@code prefixBits} wide (0: the single bucket 0). */
    public static int bucketOf(int bucketHash, int prefixBits) {
        return prefixBits == 0 ? 0 : bucketHash >>> (32 - prefixBits);
    }

    public static byte[] tag(byte[] oprfOutput) {
        return Arrays.copyOf(hmac(oprfOutput, "parley private lookup tag"), TAG_SIZE);
    }

    /** Seals {@code pointer}: nonce || AES-256-GCM ciphertext, bound to the tag. */
    public static byte[] seal(byte[] oprfOutput, Pointer pointer, SecureRandom random) {
        byte[] nonce = new byte[NONCE_SIZE];
        random.nextBytes(nonce);
        try {
            Cipher c = cipher(Cipher.ENCRYPT_MODE, oprfOutput, nonce);
            byte[] ct = c.doFinal(Json.strict().writeValueAsBytes(pointer));
            return ByteBuffer.allocate(NONCE_SIZE + ct.length).put(nonce).put(ct).array();
        } catch (GeneralSecurityException | com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("sealing a lookup pointer failed", e);
        }
    }

    /**
     * Opens a pointer sealed under {@code oprfOutput}.
     *
     * @throws IllegalArgumentException when it was not sealed for this output or was altered
     */
    public static Pointer open(byte[] oprfOutput, byte[] sealed) {
        if (sealed.length <= NONCE_SIZE) {
            throw new IllegalArgumentException("pointer too short");
        }
        try {
            Cipher c = cipher(Cipher.DECRYPT_MODE, oprfOutput, Arrays.copyOf(sealed, NONCE_SIZE));
            byte[] plain = c.doFinal(sealed, NONCE_SIZE, sealed.length - NONCE_SIZE);
            return Json.lenient().readValue(plain, Pointer.class);
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new IllegalArgumentException("pointer does not open under this OPRF output", e);
        }
    }

    /** Tag equality in constant time. */
    public static boolean sameTag(byte[] a, byte[] b) {
        return MessageDigest.isEqual(a, b);
    }

    private static Cipher cipher(int mode, byte[] oprfOutput, byte[] nonce) throws GeneralSecurityException {
        Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
        c.init(mode, new SecretKeySpec(hmac(oprfOutput, "parley private lookup pointer"), "AES"),
                new GCMParameterSpec(GCM_TAG_BITS, nonce));
        c.updateAAD(tag(oprfOutput));
        return c;
    }

    private static byte[] hmac(byte[] key, String label) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(label.getBytes(StandardCharsets.US_ASCII));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is required by every Java platform", e);
        }
    }
}
