// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.bench;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Map;
import org.parley.protocol.oprf.Oprf;
import org.parley.protocol.oprf.PrivateLookupKeys;
import org.parley.server.privatelookup.PrivateLookupFeature;

/**
 * The private lookup's table for {@code n} handles, as the server builds it: the OPRF of every handle with
 * one key (what start-up and each key rotation compute), the prefix the server would choose for k, and
 * the resulting bucket sizes.
 */
final class PrivateTableFigures {
    private PrivateTableFigures() {}

    static Map<String, Object> measure(int n, int minBucket) {
        Oprf oprf = Oprf.p256Sha256();
        SecureRandom random = new SecureRandom();
        BigInteger key = oprf.randomScalar(random);
        int[] hashes = new int[n];
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            byte[] output = oprf.evaluate(key, ("+1555" + String.format("%07d", i)).getBytes(StandardCharsets.UTF_8));
            hashes[i] = PrivateLookupKeys.bucketHash(output);
            PrivateLookupKeys.tag(output);
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        int bits = PrivateLookupFeature.prefixBits(hashes, minBucket);
        int[] counts = new int[1 << bits];
        for (int h : hashes) {
            counts[PrivateLookupKeys.bucketOf(h, bits)]++;
        }
        int min = Integer.MAX_VALUE;
        int max = 0;
        for (int c : counts) {
            min = Math.min(min, c);
            max = Math.max(max, c);
        }
        // A bucket entry on the wire: base64 of a 16-byte tag and of a sealed pointer (~ 150 bytes of JSON).
        return OfflineDrainCommand.map(
                "handles", n,
                "prefix_bits", bits,
                "buckets", counts.length,
                "bucket_min", min,
                "bucket_mean", ResourceMonitor.round((double) n / counts.length, 1),
                "bucket_max", max,
                "oprf_seconds", ResourceMonitor.round(seconds, 2),
                "oprf_per_second", ResourceMonitor.round(n / seconds, 0));
    }
}
