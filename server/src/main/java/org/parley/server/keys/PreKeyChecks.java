// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.keys;

import java.util.Arrays;
import org.parley.protocol.PreKey;
import org.parley.protocol.SignedPreKey;
import org.signal.libsignal.protocol.IdentityKey;
import org.signal.libsignal.protocol.InvalidKeyException;
import org.signal.libsignal.protocol.ecc.ECPublicKey;
import org.signal.libsignal.protocol.kem.KEMPublicKey;
import org.parley.server.errors.InvalidRequest;
import org.parley.server.errors.InvalidSignature;

/**
 * Checks uploaded key material with libsignal before it is stored. Used by key uploads and by
 * account registration, so both refuse the same inputs the same way.
 *
 * <p>Key bytes must parse as the expected libsignal key type and re-serialise to exactly the bytes
 * sent, so what the server hands out later is what every client can parse; otherwise
 * {@code 400 invalid_request}. A signature is checked over those exact bytes against the device's
 * identity key; a failure is {@code 422 invalid_signature} naming the key.
 */
final class PreKeyChecks {
    private PreKeyChecks() {}

    /** Parses a device identity key (a Curve25519 public key in libsignal's serialisation). */
    public static IdentityKey identityKey(byte[] bytes, String field) {
        IdentityKey key;
        try {
            key = new IdentityKey(bytes);
        } catch (InvalidKeyException | RuntimeException e) {
            throw malformed(field, "a Curve25519 identity key");
        }
        requireCanonical(bytes, key.serialize(), field, "a Curve25519 identity key");
        return key;
    }

    /** A signed Curve25519 prekey (the device's signed prekey). */
    public static void signedEcPreKey(IdentityKey identity, SignedPreKey key, String field) {
        ecPublicKey(key.publicKey(), field);
        verify(identity, key, field);
    }

    /** A signed Kyber-1024 prekey: one-time, or the last-resort key. */
    public static void signedKyberPreKey(IdentityKey identity, SignedPreKey key, String field) {
        KEMPublicKey parsed;
        try {
            parsed = new KEMPublicKey(key.publicKey());
        } catch (InvalidKeyException | RuntimeException e) {
            throw malformed(field, "a Kyber-1024 public key");
        }
        requireCanonical(key.publicKey(), parsed.serialize(), field, "a Kyber-1024 public key");
        verify(identity, key, field);
    }

    /** An unsigned one-time Curve25519 prekey. */
    public static void ecPreKey(PreKey key, String field) {
        ecPublicKey(key.publicKey(), field);
    }

    private static void ecPublicKey(byte[] bytes, String field) {
        ECPublicKey parsed;
        try {
            parsed = new ECPublicKey(bytes);
        } catch (InvalidKeyException | RuntimeException e) {
            throw malformed(field, "a Curve25519 public key");
        }
        requireCanonical(bytes, parsed.serialize(), field, "a Curve25519 public key");
    }

    private static void verify(IdentityKey identity, SignedPreKey key, String field) {
        boolean valid;
        try {
            valid = identity.getPublicKey().verifySignature(key.publicKey(), key.signature());
        } catch (RuntimeException e) {
            // A signature of the wrong length may be reported by an exception rather than false.
            valid = false;
        }
        if (!valid) {
            throw new InvalidSignature("the signature of " + field + " (keyId " + key.keyId()
                            + ") does not verify against the device's identity key; sign the serialised public key with the identity key");
        }
    }

    private static void requireCanonical(byte[] sent, byte[] serialised, String field, String what) {
        if (!Arrays.equals(sent, serialised)) {
            throw malformed(field, what);
        }
    }

    private static InvalidRequest malformed(String field, String what) {
        return new InvalidRequest(field + " is not " + what + " in libsignal's serialisation");
    }
}
