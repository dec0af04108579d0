// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.protocol;

/** A one-time EC prekey: id and libsignal-serialised public key. */
public record PreKey(int keyId, byte[] publicKey) {
    public PreKey {
        Checks.range(keyId, "keyId", 0, 0xFFFFFF);
        Checks.bytes(publicKey, "publicKey", Limits.MAX_PUBLIC_KEY_BYTES);
    }
}
