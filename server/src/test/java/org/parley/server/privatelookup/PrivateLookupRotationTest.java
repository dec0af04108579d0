// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.privatelookup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.server.accounts.Accounts;
import org.parley.server.config.LookupLogMode;
import org.parley.server.config.LookupMode;
import org.parley.server.directory.LookupQuota;
import org.parley.server.storage.Database;
import org.parley.server.testing.StorageBackend;
import org.parley.testing.TestClock;

/** Key rotation with its overlap window, and the bucket prefix keeping every bucket at k entries or more. */
class PrivateLookupRotationTest {
    @TempDir
    Path dir;

    private final TestClock clock = new TestClock(java.time.Instant.parse("2026-11-27T10:00:00Z"));
    private Database db;
    private final List<Accounts.HandleOwner> owners = new ArrayList<>();

    private final Accounts accounts = new Accounts() {
        @Override
        public Optional<String> accountIdOf(String handle) {
            return Optional.empty();
        }

        @Override
        public Optional<String> handleOf(String accountId) {
            return Optional.empty();
        }

        @Override
        public List<DeviceRecord> devices(String accountId) {
            return List.of(new DeviceRecord(1, 42, new byte[33]));
        }

        @Override
        public List<HandleOwner> handleOwners() {
            return owners;
        }
    };

    @BeforeEach
    void open() {
        db = StorageBackend.SQLITE.open(dir);
    }

    @AfterEach
    void close() {
        db.close();
    }

    private PrivateLookup lookup(int minBucket) {
        return new PrivateLookup(accounts, new JdbcPrivateLookupStore(db), LookupQuota.inMemory(1000, new SecureRandom()),
                clock, new SecureRandom(), LookupMode.BOTH, LookupLogMode.FULL, minBucket, Duration.ofDays(30),
                Duration.ofDays(1), new SimpleMeterRegistry());
    }

    @Test
    void rotation_servesOldAndNewKeyThroughTheOverlap_thenOnlyTheNew() {
        for (int i = 0; i < 10; i++) {
            owners.add(new Accounts.HandleOwner("+1202555" + (1000 + i), "acct-" + i));
        }
        PrivateLookup lookup = lookup(4);
        lookup.start();
        String first = lookup.config().currentKeyId();
        assertEquals(List.of(first), lookup.config().keyIds());

        clock.advance(Duration.ofDays(30));
        assertEquals(0, lookup.rotateIfDue(clock.instant()));
        String second = lookup.config().currentKeyId();
        assertNotEquals(first, second);
        assertEquals(List.of(second, first), lookup.config().keyIds(), "both keys served in the overlap");
        assertEquals(10, lookup.tables().getFirst().size());

        clock.advance(Duration.ofDays(1));
        assertEquals(1, lookup.rotateIfDue(clock.instant()));
        assertEquals(List.of(second), lookup.config().keyIds());
    }

    @Test
    void prefixBits_keepEveryBucketAtOrAboveK() {
        Random r = new Random(7);
        for (int n : new int[] {10, 64, 1000, 20_000}) {
            int[] hashes = r.ints(n).toArray();
            int bits = BucketTable.prefixBitsFor(hashes, 64);
            int[] counts = new int[1 << bits];
            for (int h : hashes) {
                counts[org.parley.protocol.oprf.PrivateLookupKeys.bucketOf(h, bits)]++;
            }
            for (int c : counts) {
                assertTrue(c >= Math.min(64, n), n + " handles, " + bits + " bits: a bucket of " + c);
            }
            if (n >= 1000) {
                assertTrue(bits > 0, "enough handles for more than one bucket");
            }
        }
    }
}
