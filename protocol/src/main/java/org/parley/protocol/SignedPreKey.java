// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.protocol;

/** A prekey signed by the device identity key: the signed EC prekey, or a Kyber prekey (one-time or last resort). */
public record SignedPreKey(int keyId, byte[] publicKey, byte[] signature) {
    public SignedPreKey {
        Checks.range(keyId, "keyId", 0, 0xFFFFFF);
        Checks.bytes(publicKey, "publicKey", Limits.MAX_PUBLIC_KEY_BYTES);
        Checks.bytes(signature, "signature", Limits.MAX_SIGNATURE_BYTES);
    }
}
