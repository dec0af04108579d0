// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.admin;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * SHA-256 of an operator token's text. A plain hash suffices: tokens are 256 random bits, so
 * there is nothing to brute-force that a salt or a slow hash would protect.
 */
final class TokenHashing {
    private TokenHashing() {}

    static byte[] sha256(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
    }
}
