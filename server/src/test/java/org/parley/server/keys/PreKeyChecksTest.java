// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.keys;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.parley.protocol.SignedPreKey;
import org.parley.server.testing.AccountsTestKeys;
import org.signal.libsignal.protocol.IdentityKey;
import org.parley.server.errors.InvalidSignature;
import org.parley.server.errors.InvalidRequest;

class PreKeyChecksTest {
    private static final AccountsTestKeys KEYS = new AccountsTestKeys();
    private static final IdentityKey IDENTITY = KEYS.identity().getPublicKey();
    private static final SignedPreKey SIGNED = KEYS.signedEc(1);

    @Test
    void signedEcPreKey_signedByTheIdentity_accepted() {
        assertDoesNotThrow(() -> PreKeyChecks.signedEcPreKey(IDENTITY, SIGNED, "signedPreKey"));
        assertDoesNotThrow(() -> PreKeyChecks.signedKyberPreKey(IDENTITY, KEYS.signedKyber(2), "pqLastResortPreKey"));
    }

    @Property(tries = 200)
    void signedEcPreKey_anyFlippedSignatureBit_422(@ForAll @IntRange(min = 0, max = 511) int bit) {
        byte[] signature = SIGNED.signature().clone();
        signature[bit / 8] ^= (byte) (1 << (bit % 8));
        assertThrows(InvalidSignature.class, () -> PreKeyChecks.signedEcPreKey(IDENTITY,
                new SignedPreKey(1, SIGNED.publicKey(), signature), "signedPreKey"));
    }

    @Test
    void signedEcPreKey_truncatedSignature_422NotAServerFault() {
        byte[] shortSignature = java.util.Arrays.copyOf(SIGNED.signature(), 10);
        assertThrows(InvalidSignature.class, () -> PreKeyChecks.signedEcPreKey(IDENTITY,
                new SignedPreKey(1, SIGNED.publicKey(), shortSignature), "signedPreKey"));
    }

    @Test
    void identityKey_trailingBytes_400() {
        byte[] longer = java.util.Arrays.copyOf(KEYS.identityKey(), 34);
        assertThrows(InvalidRequest.class, () -> PreKeyChecks.identityKey(longer, "identityKey"));
    }

    @Test
    void signedKyberPreKey_curveKeyInstead_400() {
        assertThrows(InvalidRequest.class, () -> PreKeyChecks.signedKyberPreKey(IDENTITY, SIGNED, "pqPreKeys[0]"));
    }
}
