// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.sealedsender;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;
import org.parley.server.sealedsender.AccessKeyStore.AccessKey;
import org.parley.server.storage.Database;
import org.parley.server.testing.StorageBackend;

/** The {@link AccessKeyStore} contract on every backend. */
@ParameterizedClass
@EnumSource(StorageBackend.class)
class AccessKeyStoreContractTest {
    private static final String BOB = "11111111-1111-4111-8111-111111111111";

    @Parameter
    StorageBackend backend;

    @TempDir
    Path dir;

    private Database db;
    private JdbcAccessKeyStore store;

    @BeforeEach
    void open() {
        db = backend.open(dir);
        store = new JdbcAccessKeyStore(db);
    }

    @AfterEach
    void close() {
        db.close();
    }

    @Test
    void put_thenFind_roundTrips_andAPutReplaces() {
        assertEquals(Optional.empty(), store.find(BOB));

        byte[] first = new byte[16];
        first[0] = 1;
        store.put(BOB, new AccessKey(first, false), 10);
        AccessKey found = store.find(BOB).orElseThrow();
        assertArrayEquals(first, found.accessKey());
        assertFalse(found.unrestricted());

        byte[] second = new byte[16];
        second[0] = 2;
        store.put(BOB, new AccessKey(second, true), 20);
        AccessKey replaced = store.find(BOB).orElseThrow();
        assertArrayEquals(second, replaced.accessKey());
        assertTrue(replaced.unrestricted());
    }
}
