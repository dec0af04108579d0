// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.cluster;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Names for what the Redis limits count, keyed by {@code redis.key-secret}: the hex of a truncated
 * HMAC-SHA256, so that Redis never sees an account id, a handle or an address, and cannot test a
 * guess at one without the secret.
 */
final class KeyedNames {
    private static final String HMAC = "HmacSHA256";

    private final SecretKeySpec key;

    KeyedNames(String secret) {
        this.key = new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), HMAC);
    }

    /** The first {@code bytes} bytes of the HMAC of {@code value}, as lower-case hex. */
    String of(String value, int bytes) {
        try {
            Mac mac = Mac.getInstance(HMAC);
            mac.init(key);
            return HexFormat.of().formatHex(mac.doFinal(value.getBytes(StandardCharsets.UTF_8)), 0, bytes);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is required by every Java platform", e);
        }
    }
}
