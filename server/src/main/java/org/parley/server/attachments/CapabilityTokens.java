// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.attachments;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * Capability tokens: 32 random bytes, base64url, whose holder may do one thing with one blob. The
 * server stores only their SHA-256 (a leaked database grants nothing) and compares in constant time.
 */
final class CapabilityTokens {
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();

    private final SecureRandom random;

    CapabilityTokens(SecureRandom random) {
        this.random = random;
    }

    /** A fresh token as the client sees it. */
    String issue() {
        return random(32);
    }

    /** A fresh blob id: 16 random bytes, base64url (so also a safe file and object name). */
    String id() {
        return random(16);
    }

    static byte[] hash(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK lacks SHA-256", e);
        }
    }

    /** True when {@code token} hashes to {@code stored}; constant time in the hash. */
    static boolean matches(String token, byte[] stored) {
        return token != null && MessageDigest.isEqual(hash(token), stored);
    }

    private String random(int bytes) {
        byte[] b = new byte[bytes];
        random.nextBytes(b);
        return ENCODER.encodeToString(b);
    }
}
