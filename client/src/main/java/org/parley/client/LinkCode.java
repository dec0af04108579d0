// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.client;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import org.signal.libsignal.protocol.InvalidKeyException;
import org.signal.libsignal.protocol.ecc.ECPublicKey;

/**
 * The code a new device shows (as text and as a QR code) for a device of the account to scan:
 * {@code parley://link?uuid=<provisioning id>&pub=<base64url of the new device's ephemeral Curve25519
 * public key>}. About 100 characters: a version-7 QR code holds it at error correction M. It holds no
 * secret: the public key lets the linking device encrypt to the new device, nothing more.
 */
public record LinkCode(String provisioningId, ECPublicKey publicKey) {
    private static final String PREFIX = "parley://link?";

    public String uri() {
        return PREFIX + "uuid=" + provisioningId + "&pub="
                + Base64.getUrlEncoder().withoutPadding().encodeToString(publicKey.serialize());
    }

    /** Parses a code as {@link #uri()} writes it; {@link IllegalArgumentException} says what is wrong. */
    public static LinkCode parse(String text) {
        String uri = text.strip();
        if (!uri.startsWith(PREFIX)) {
            throw new IllegalArgumentException("a link code starts with " + PREFIX + " (the new device prints it"
                    + " with `parley device link`)");
        }
        Map<String, String> params = new HashMap<>();
        for (String pair : URI.create(uri).getRawQuery().split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                params.put(pair.substring(0, eq), URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        String id = params.get("uuid");
        String pub = params.get("pub");
        if (id == null || id.isBlank() || pub == null) {
            throw new IllegalArgumentException("the link code lacks its uuid or pub parameter");
        }
        try {
            return new LinkCode(id, new ECPublicKey(Base64.getUrlDecoder().decode(pub)));
        } catch (IllegalArgumentException | InvalidKeyException e) {
            throw new IllegalArgumentException("the link code's public key is not a Curve25519 key", e);
        }
    }
}
