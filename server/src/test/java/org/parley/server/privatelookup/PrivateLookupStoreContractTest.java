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
}
