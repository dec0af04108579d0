// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.protocol;

/**
 * {@code GET /.well-known/parley/sealed-sender-root}: the sealed-sender trust root, a serialized libsignal
 * {@code ECPublicKey} (33 bytes). Clients pin it at registration and validate every sender certificate
 * against it.
 */
public record SealedSenderRoot(byte[] publicKey) {
    public SealedSenderRoot {
        Checks.bytes(publicKey, "publicKey", 64);
    }
}
