// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.protocol.oprf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.parley.protocol.DeviceInfo;

/** The derivations from an OPRF output: pointers open only under their own output, buckets nest by prefix. */
class PrivateLookupKeysTest {
    private final Oprf oprf = Oprf.p256Sha256();
    private final SecureRandom random = new SecureRandom();
    private final BigInteger key = oprf.randomScalar(random);

    private byte[] output(String handle) {
        return oprf.evaluate(key, handle.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aPointer_opensUnderItsOutput_andNoOther() {
        PrivateLookupKeys.Pointer pointer = new PrivateLookupKeys.Pointer("acct", List.of(new DeviceInfo(1, 4711)));
        byte[] sealed = PrivateLookupKeys.seal(output("bob@example.org"), pointer, random);
        assertEquals(pointer, PrivateLookupKeys.open(output("bob@example.org"), sealed));
        assertThrows(IllegalArgumentException.class, () -> PrivateLookupKeys.open(output("eve@example.org"), sealed));
        sealed[sealed.length - 1] ^= 1;
        assertThrows(IllegalArgumentException.class, () -> PrivateLookupKeys.open(output("bob@example.org"), sealed));
    }

    @Test
    void tags_differBetweenHandles_andBetweenKeys() {
        assertFalse(PrivateLookupKeys.sameTag(PrivateLookupKeys.tag(output("a@example.org")),
                PrivateLookupKeys.tag(output("b@example.org"))));
        byte[] otherKey = oprf.evaluate(oprf.randomScalar(random), "a@example.org".getBytes(StandardCharsets.UTF_8));
        assertFalse(PrivateLookupKeys.sameTag(PrivateLookupKeys.tag(output("a@example.org")), PrivateLookupKeys.tag(otherKey)));
    }

    @Test
    void aShorterPrefix_namesTheBucketThatContainsTheLongerOne() {
        int hash = PrivateLookupKeys.bucketHash(output("+12025550143"));
        assertEquals(0, PrivateLookupKeys.bucketOf(hash, 0));
        for (int bits = 1; bits < 20; bits++) {
            assertEquals(PrivateLookupKeys.bucketOf(hash, bits) >>> 1, PrivateLookupKeys.bucketOf(hash, bits - 1));
        }
    }
}
