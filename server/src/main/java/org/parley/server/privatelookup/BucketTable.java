// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.privatelookup;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import org.parley.protocol.oprf.Oprf;
import org.parley.protocol.oprf.PrivateLookupKeys;

/**
 * One OPRF key's precomputed buckets: for every registered handle its OPRF output under the key
 * gives a bucket hash, a tag and a sealed pointer (account id and devices). Held in memory only and
 * rebuilt from the accounts at start-up; {@link #put}/{@link #remove} keep it current.
 *
 * <p>The prefix length is the longest for which every bucket still holds {@code minBucket} entries, so
 * a bucket fetch narrows the handle down to no fewer than that many registered handles (or all of
 * them, while fewer are registered: then the prefix is 0 bits and there is one bucket).
 */
final class BucketTable {
    /** Longest prefix ever used: 2^20 buckets is far beyond any k worth having at Parley's scale. */
    static final int MAX_PREFIX_BITS = 20;

    /** One handle's entry; the handle itself is the map key, in memory only. */
    record Row(int bucketHash, byte[] tag, byte[] pointer) {}

    private final PrivateLookupStore.OprfKey key;
    private final int minBucket;
    private final SecureRandom random;
    private final Oprf oprf = Oprf.p256Sha256();
    private final ConcurrentHashMap<String, Row> rows = new ConcurrentHashMap<>();
    private volatile int prefixBits;

    BucketTable(PrivateLookupStore.OprfKey key, int minBucket, SecureRandom random) {
        this.key = key;
        this.minBucket = minBucket;
        this.random = random;
    }

    String keyId() {
        return key.id();
    }

    BigInteger secret() {
        return key.secret();
    }

    long createdMs() {
        return key.createdMs();
    }

    int prefixBits() {
        return prefixBits;
    }

    int size() {
        return rows.size();
    }

    /** Adds or replaces {@code handle}'s entry without re-choosing the prefix: call {@link #rebalance} after a batch. */
    void putQuietly(String handle, PrivateLookupKeys.Pointer pointer) {
        byte[] output = oprf.evaluate(key.secret(), handle.getBytes(StandardCharsets.UTF_8));
        rows.put(handle, new Row(PrivateLookupKeys.bucketHash(output), PrivateLookupKeys.tag(output),
                PrivateLookupKeys.seal(output, pointer, random)));
    }

    void put(String handle, PrivateLookupKeys.Pointer pointer) {
        putQuietly(handle, pointer);
        rebalance();
    }

    void remove(String handle) {
        if (rows.remove(handle) != null) {
            rebalance();
        }
    }

    /** The entries of bucket {@code prefix} at {@code bits} (at most {@link #prefixBits()}). */
    List<Row> bucket(int bits, int prefix) {
        List<Row> out = new ArrayList<>();
        for (Row r : rows.values()) {
            if (PrivateLookupKeys.bucketOf(r.bucketHash(), bits) == prefix) {
                out.add(r);
            }
        }
        return out;
    }

    /** Chooses the longest prefix whose every bucket keeps at least {@code minBucket} entries. */
    synchronized void rebalance() {
        int[] hashes = rows.values().stream().mapToInt(Row::bucketHash).toArray();
        prefixBits = prefixBitsFor(hashes, minBucket);
    }

    static int prefixBitsFor(int[] hashes, int minBucket) {
        int chosen = 0;
        for (int bits = 1; bits <= MAX_PREFIX_BITS && (hashes.length >> bits) >= minBucket; bits++) {
            int[] counts = new int[1 << bits];
            for (int h : hashes) {
                counts[PrivateLookupKeys.bucketOf(h, bits)]++;
            }
            int least = Integer.MAX_VALUE;
            for (int c : counts) {
                least = Math.min(least, c);
            }
            if (least < minBucket) {
                break;
            }
            chosen = bits;
        }
        return chosen;
    }
}
