// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.attachments;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
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
import org.parley.server.testing.StorageBackend;

/** The {@code attachments} table on every backend: insert and read back, finish, renew, expiry, delete. */
@ParameterizedClass
@EnumSource(StorageBackend.class)
class AttachmentStoreContractTest {
    @Parameter
    StorageBackend backend;

    @TempDir
    Path dir;

    private Database db;
    private JdbcAttachmentStore store;

    @BeforeEach
    void open() {
        db = backend.open(dir);
        store = new JdbcAttachmentStore(db);
    }

    @AfterEach
    void close() {
        db.close();
    }

    private static AttachmentRow row(String id, String session, long expiresAt) {
        return new AttachmentRow(id, CapabilityTokens.hash("up-" + id), CapabilityTokens.hash("down-" + id), 12_345_678_901L,
                session, 100, null, expiresAt);
    }

    @Test
    void insert_thenFind_returnsTheRow_unfinished() {
        store.insert(row("aaaaaaaaaaaaaaaaaaaaaa", "s3-upload-1", 1000));
        AttachmentRow back = store.find("aaaaaaaaaaaaaaaaaaaaaa").orElseThrow();
        assertArrayEquals(CapabilityTokens.hash("up-aaaaaaaaaaaaaaaaaaaaaa"), back.uploadTokenHash());
        assertArrayEquals(CapabilityTokens.hash("down-aaaaaaaaaaaaaaaaaaaaaa"), back.downloadTokenHash());
        assertEquals(12_345_678_901L, back.size());
        assertEquals("s3-upload-1", back.session());
        assertNull(back.completedAt());
        assertFalse(back.complete());
        assertTrue(store.find("bbbbbbbbbbbbbbbbbbbbbb").isEmpty());
    }

    @Test
    void complete_thenRenew_movesTheExpiry_renewRefusesUnfinished() {
        store.insert(row("a", null, 1000));
        store.insert(row("b", null, 1000));
        assertFalse(store.renew("a", 5000), "an unfinished upload cannot be renewed");
        store.complete("a", 200, 3000);
        AttachmentRow done = store.find("a").orElseThrow();
        assertEquals(200L, done.completedAt());
        assertEquals(3000, done.expiresAt());
        assertTrue(store.renew("a", 9000));
        assertEquals(9000, store.find("a").orElseThrow().expiresAt());
        assertFalse(store.renew("missing", 9000));
    }

    @Test
    void expired_returnsRowsAtOrBeforeNow_oldestFirst_limited_thenDeleteRemovesThem() {
        store.insert(row("late", null, 3000));
        store.insert(row("first", null, 1000));
        store.insert(row("second", "x", 2000));
        assertEquals(List.of("first", "second"), store.expired(2000, 10).stream().map(AttachmentRow::id).toList());
        assertEquals(List.of("first"), store.expired(2000, 1).stream().map(AttachmentRow::id).toList());
        store.delete("first");
        store.delete("second");
        assertTrue(store.find("first").isEmpty());
        assertEquals(List.of(), store.expired(2999, 10));
        assertEquals(List.of("late"), store.expired(3000, 10).stream().map(AttachmentRow::id).toList());
    }
}
