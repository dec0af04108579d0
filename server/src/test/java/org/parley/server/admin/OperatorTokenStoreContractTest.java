// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.admin;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;
import org.parley.server.audit.AuditFeature;
import org.parley.server.storage.Database;
import org.parley.server.storage.StorageException;
import org.parley.server.testing.LookupTestEnvironment;
import org.parley.server.testing.StorageBackend;

/** The {@link OperatorTokenStore} contract on every backend, with revocation and the first-start bootstrap. */
@ParameterizedClass
@EnumSource(StorageBackend.class)
class OperatorTokenStoreContractTest {
    @Parameter
    StorageBackend backend;

    @TempDir
    Path dir;

    private Database db;
    private JdbcOperatorTokenStore store;

    private LookupTestEnvironment env;

    @BeforeEach
    void open() {
        env = new LookupTestEnvironment(dir, backend, UnaryOperator.identity());
        db = env.database;
        store = new JdbcOperatorTokenStore(db);
    }

    @AfterEach
    void close() {
        env.close();
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

    @Test
    void revoke_keepsTheRowButDropsItFromTheAcceptedTokens() {
        store.insert(new OperatorTokenStore.StoredToken("admin", TokenHashing.sha256("one"), OperatorRole.ADMIN), 1);
        store.insert(new OperatorTokenStore.StoredToken("rev", TokenHashing.sha256("two"), OperatorRole.LEGAL_REVIEWER), 2);

        assertTrue(store.revoke("rev", 5));
        assertFalse(store.revoke("rev", 6), "a revoked token is not revoked twice");
        assertFalse(store.revoke("nobody", 6));

        assertEquals(List.of("admin"), store.all().stream().map(OperatorTokenStore.StoredToken::name).toList());
        List<OperatorTokenStore.RevokedToken> revoked = store.revoked();
        assertEquals(List.of("rev"), revoked.stream().map(OperatorTokenStore.RevokedToken::name).toList());
        assertArrayEquals(TokenHashing.sha256("two"), revoked.getFirst().hash());
        assertEquals(5L, revoked.getFirst().revokedAtMs());
        List<OperatorTokenStore.TokenInfo> listed = store.list();
        assertEquals(List.of("admin", "rev"), listed.stream().map(OperatorTokenStore.TokenInfo::name).toList());
        assertFalse(listed.get(0).revoked());
        assertEquals(5L, listed.get(1).revokedAtMs());
        assertEquals(OperatorRole.LEGAL_REVIEWER, listed.get(1).role());
        assertEquals(2L, listed.get(1).createdAtMs());
        // A revoked name stays taken.
        assertThrows(StorageException.class, () -> store.insert(
                new OperatorTokenStore.StoredToken("rev", TokenHashing.sha256("three"), OperatorRole.ADMIN), 7));
        assertTrue(store.hasAny());
    }

    /**
     * Four nodes start at once against one empty database, each with its own data directory: one
     * token row, one token file (the creator's, holding that token), no node fails, one audit entry.
     * Each bootstrap runs on its own pooled connection, which to PostgreSQL is what a node is.
     */
    @Test
    void bootstrap_nodesStartingAtOnce_createExactlyOneToken() throws Exception {
        AuditFeature audit = AuditFeature.create(env.ctx);
        int nodes = 4;
        ExecutorService pool = Executors.newFixedThreadPool(nodes);
        try {
            CyclicBarrier start = new CyclicBarrier(nodes);
            List<Future<?>> starts = new ArrayList<>();
            List<Path> dataDirs = new ArrayList<>();
            for (int n = 0; n < nodes; n++) {
                Path dataDir = Files.createDirectories(dir.resolve("node-" + n));
                dataDirs.add(dataDir);
                AdminTokenBootstrap bootstrap = new AdminTokenBootstrap(new JdbcOperatorTokenStore(db), dataDir,
                        new SecureRandom(), env.clock, audit.log());
                starts.add(pool.submit(() -> {
                    start.await(30, TimeUnit.SECONDS);
                    bootstrap.ensureToken();
                    return null;
                }));
            }
            for (Future<?> f : starts) {
                f.get(60, TimeUnit.SECONDS);
            }
            List<OperatorTokenStore.StoredToken> tokens = store.all();
            assertEquals(1, tokens.size());
            List<Path> files = dataDirs.stream().map(d -> d.resolve(AdminTokenBootstrap.FILE_NAME)).filter(Files::exists).toList();
            assertEquals(1, files.size(), "only the creating node writes a token file");
            String token = Files.readString(files.getFirst()).strip();
            assertArrayEquals(TokenHashing.sha256(token), tokens.getFirst().hash());
            assertEquals(1, audit.trail().page(0, 100).stream().filter(e -> e.action().equals("token.create")).count());
            assertTrue(audit.trail().verify().intact());
        } finally {
            pool.shutdownNow();
        }
    }
}
