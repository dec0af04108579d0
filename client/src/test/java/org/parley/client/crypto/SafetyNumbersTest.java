// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.client.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.signal.libsignal.protocol.IdentityKey;
import org.signal.libsignal.protocol.IdentityKeyPair;

class SafetyNumbersTest {
    private final SafetyNumbers safetyNumbers = new SafetyNumbers();
    private final IdentityKey alice = IdentityKeyPair.generate().getPublicKey();
    private final IdentityKey bob = IdentityKeyPair.generate().getPublicKey();

    @Test
    void compute_fromBothSides_isTheSame() {
        SafetyNumber atAlice = safetyNumbers.compute("+12025550143", alice, "bob@example.org", bob);
        SafetyNumber atBob = safetyNumbers.compute("bob@example.org", bob, "+12025550143", alice);

        assertEquals(atAlice, atBob);
    }

    @Test
    void compute_withChangedRemoteKey_differs() {
        SafetyNumber before = safetyNumbers.compute("+12025550143", alice, "bob@example.org", bob);
        SafetyNumber after = safetyNumbers.compute("+12025550143", alice, "bob@example.org",
                IdentityKeyPair.generate().getPublicKey());

        assertNotEquals(before, after);
    }

    @Test
    void grouped_hasTwelveBlocksOfFiveDigits() {
        String grouped = safetyNumbers.compute("+12025550143", alice, "bob@example.org", bob).grouped();

        assertTrue(grouped.matches("(\\d{5} ){11}\\d{5}"), grouped);
    }

    @Test
    void safetyNumber_withWrongLength_isRejected() {
        assertThrows(IllegalArgumentException.class, () -> new SafetyNumber("12345"));
    }
}
