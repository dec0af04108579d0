// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.admin;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import org.parley.server.storage.StorageException;
import org.parley.server.testing.StorageBackend;

/** The {@link OperatorTokenStore} contract on every backend. */
@ParameterizedClass
@EnumSource(StorageBackend.class)
class OperatorTokenStoreContractTest {
    @Parameter
    StorageBackend backend;

    @TempDir
    Path dir;

    private Database db;
    private JdbcOperatorTokenStore store;

    @BeforeEach
    void open() {
        db = backend.open(dir);
        store = new JdbcOperatorTokenStore(db);
    }

    @AfterEach
    void close() {
        db.close();
    }

    @Test
    void insert_thenAll_returnsTokensInCreationOrder() {
        assertFalse(store.hasAny());
        store.insert(new OperatorTokenStore.StoredToken("admin", TokenHashing.sha256("one"), OperatorRole.ADMIN), 1);
        store.insert(new OperatorTokenStore.StoredToken("second", TokenHashing.sha256("two"), OperatorRole.ADMIN), 2);
        assertTrue(store.hasAny());
        List<OperatorTokenStore.StoredToken> all = store.all();
        assertEquals(List.of("admin", "second"), all.stream().map(OperatorTokenStore.StoredToken::name).toList());
        assertArrayEquals(TokenHashing.sha256("one"), all.get(0).hash());
        assertEquals(OperatorRole.ADMIN, all.get(0).role());
    }

    @Test
    void insert_duplicateNameOrHash_isRefused() {
        store.insert(new OperatorTokenStore.StoredToken("admin", TokenHashing.sha256("one"), OperatorRole.ADMIN), 1);
        assertThrows(StorageException.class, () -> store.insert(
                new OperatorTokenStore.StoredToken("admin", TokenHashing.sha256("two"), OperatorRole.ADMIN), 2));
        assertThrows(StorageException.class, () -> store.insert(
                new OperatorTokenStore.StoredToken("other", TokenHashing.sha256("one"), OperatorRole.ADMIN), 2));
        assertEquals(1, store.all().size());
    }
}
