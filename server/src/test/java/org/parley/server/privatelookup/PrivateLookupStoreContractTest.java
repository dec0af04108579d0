// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.privatelookup;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigInteger;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;
import org.parley.server.lookuplog.LookupLog;
import org.parley.server.storage.Database;
import org.parley.server.testing.StorageBackend;

/** The {@link PrivateLookupStore} contract on every backend: keys newest first, the bucket log and its purge. */
@ParameterizedClass
@EnumSource(StorageBackend.class)
class PrivateLookupStoreContractTest {
    private static final String ALICE = "22222222-2222-4222-8222-222222222222";

    @Parameter
    StorageBackend backend;

    @TempDir
    Path dir;

    private Database db;
    private JdbcPrivateLookupStore store;

    @BeforeEach
    void open() {
        db = backend.open(dir);
        store = new JdbcPrivateLookupStore(db);
    }

    @AfterEach
    void close() {
        db.close();
    }

    @Test
    void keys_comeBackNewestFirst_withTheirSecret_untilDeleted() {
        BigInteger small = BigInteger.valueOf(7);
        BigInteger large = new BigInteger("159749d750713afe245d2d39ccfaae8381c53ce92d098a9375ee70739c7ac0bf", 16);
        store.addKey(new PrivateLookupStore.OprfKey("old", small, 100));
        store.addKey(new PrivateLookupStore.OprfKey("new", large, 200));
        assertEquals(List.of(new PrivateLookupStore.OprfKey("new", large, 200),
                new PrivateLookupStore.OprfKey("old", small, 100)), store.keys());
        store.deleteKey("old");
        assertEquals(List.of("new"), store.keys().stream().map(PrivateLookupStore.OprfKey::id).toList());
    }

    @Test
    void log_keepsBucketFetchesInTimeOrder_andThePurgeDropsTheOldOnes() {
        store.appendLog(new PrivateLookupStore.LogRow(300, ALICE, 1, "k", 3, 5, null));
        store.appendLog(new PrivateLookupStore.LogRow(100, ALICE, 2, "k", 0, 0, "192.0.2.0"));
        assertEquals(List.of(new PrivateLookupStore.LogRow(100, ALICE, 2, "k", 0, 0, "192.0.2.0"),
                new PrivateLookupStore.LogRow(300, ALICE, 1, "k", 3, 5, null)), store.log(10));
        assertEquals(1, store.deleteLogBefore(200, 200));
        assertEquals(1, store.log(10).size());
    }

    @Test
    void bucketFetchLog_findsByRequesterAndTime_andDeletesKeepWhatAHoldOnLookupsByTheAccountCovers() {
        String bob = "33333333-3333-4333-8333-333333333333";
        store.appendLog(new PrivateLookupStore.LogRow(100, ALICE, 1, "k", 3, 5, null));
        store.appendLog(new PrivateLookupStore.LogRow(200, bob, 1, "k", 3, 6, "192.0.2.0"));
        store.appendLog(new PrivateLookupStore.LogRow(300, ALICE, 2, "k", 3, 7, null));
        List<LookupLog.LoggedLookup> alices = store.find(ALICE, 150L, null, 10);
        assertEquals(1, alices.size());
        LookupLog.LoggedLookup e = alices.getFirst();
        assertEquals(LookupLog.Kind.PRIVATE, e.kind());
        assertEquals(List.of(300L, ALICE, 2, new LookupLog.Bucket("k", 3, 7)),
                List.of(e.timeMs(), e.requesterAccountId(), e.requesterDeviceId(), e.bucket()));
        assertEquals(null, e.queriedHandle());
        assertEquals(List.of(100L, 200L), store.find(null, null, 300L, 10).stream().map(LookupLog.LoggedLookup::timeMs).toList());
        // A hold on lookups BY Alice over [0, 150), active until 1000: her first fetch survives both deletes.
        db.write(c -> {
            try (var s = c.prepareStatement("INSERT INTO preservation_holds (request_id, handle, account_id, since_ms,"
                    + " until_ms, covers_of, covers_by, covers_subscriber, placed_at, expires_at)"
                    + " VALUES (1, '+12025550143', ?, 0, 150, 0, 1, 0, 0, 1000)")) {
                s.setString(1, ALICE);
                s.executeUpdate();
            }
            return null;
        });
        assertEquals(1, store.deleteMadeBy(ALICE, 500));
        assertEquals(1, store.deleteLogBefore(1_000, 500), "Bob's goes, Alice's held one stays");
        assertEquals(List.of(100L), store.find(null, null, null, 10).stream().map(LookupLog.LoggedLookup::timeMs).toList());
        assertEquals(1, store.deleteLogBefore(1_000, 1_000), "the hold has expired");
    }
}
