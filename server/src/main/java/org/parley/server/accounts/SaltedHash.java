// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.accounts;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.UUID;

/**
 * Salted SHA-256 for device passwords and verification codes, and random ids. A fast hash is
 * enough for device passwords because they are at least 16 random bytes, not human choices; codes
 * are protected by their short life and the attempt limit, the salt only keeps equal codes apart.
 */
final class SaltedHash {
    static final int SALT_BYTES = 16;

    private SaltedHash() {}

    static byte[] salt(SecureRandom random) {
        byte[] salt = new byte[SALT_BYTES];
        random.nextBytes(salt);
        return salt;
    }

    /** SHA-256(salt || UTF-8 of secret). */
    static byte[] hash(byte[] salt, String secret) {
        MessageDigest digest = sha256();
        digest.update(salt);
        digest.update(secret.getBytes(StandardCharsets.UTF_8));
        return digest.digest();
    }

    /** Constant-time comparison of {@code hash(salt, candidate)} with {@code expected}. */
    static boolean matches(byte[] salt, String candidate, byte[] expected) {
        return MessageDigest.isEqual(hash(salt, candidate), expected);
    }

    static byte[] sha256(String value) {
        return sha256().digest(value.getBytes(StandardCharsets.UTF_8));
    }

    /** A version-4 UUID from {@code random}. */
    static String uuid(SecureRandom random) {
        long high = random.nextLong();
        long low = random.nextLong();
        high = (high & ~0xF000L) | 0x4000L;               // version 4
        low = (low & 0x3FFFFFFFFFFFFFFFL) | Long.MIN_VALUE; // IETF variant
        return new UUID(high, low).toString();
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
