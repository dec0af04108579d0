// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.messages;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.protocol.MessageType;
import org.parley.server.storage.Database;
import org.parley.server.storage.StorageException;

class JdbcMessageStoreTest {
    private static final String BOB = "11111111-1111-4111-8111-111111111111";
    private static final String ALICE = "22222222-2222-4222-8222-222222222222";

    @TempDir
    Path dir;

    private Database db;
    private JdbcMessageStore store;

    @BeforeEach
    void open() {
        db = Database.openSqlite(dir.resolve("t.db"), "NORMAL");
        db.migrate(List.of("/db/sqlite/accounts.sql", "/db/sqlite/keys.sql", "/db/sqlite/messages.sql"));
        store = new JdbcMessageStore(db);
    }

    @AfterEach
    void close() {
        db.close();
    }

    private static QueuedMessage message(String to, int device, String guid, long expiresAt) {
        return new QueuedMessage(0, to, device, guid, ALICE, 1, MessageType.SIGNAL, new byte[] {1, 2}, 10, 20, expiresAt);
    }

    private static QueuedMessage message(String to, int device) {
        return message(to, device, UUID.randomUUID().toString(), 1000);
    }

    @Test
    void insert_batch_assignsIncreasingIdsInOrder() {
        List<QueuedMessage> stored = store.insert(List.of(message(BOB, 1), message(BOB, 2), message(BOB, 1)));

        assertEquals(3, stored.size());
        assertTrue(stored.get(0).id() < stored.get(1).id() && stored.get(1).id() < stored.get(2).id());
        assertEquals(stored.get(2).id(), store.lastId(BOB, 1));
        assertEquals(0, store.lastId(ALICE, 1));
    }

    @Test
    void insert_batchWithAFailingRow_storesNothing() {
        String guid = UUID.randomUUID().toString();

        assertThrows(StorageException.class, () -> store.insert(List.of(message(BOB, 1, guid, 1), message(BOB, 2, guid, 1))));

        assertEquals(0, store.count());
    }

    @Test
    void page_returnsOnlyThatDevicesQueueInOrderAfterTheGivenId() {
        List<QueuedMessage> stored = store.insert(List.of(message(BOB, 1), message(BOB, 2), message(BOB, 1),
                message(ALICE, 1), message(BOB, 1)));

        List<QueuedMessage> all = store.page(BOB, 1, 0, 10);
        assertEquals(List.of(stored.get(0).guid(), stored.get(2).guid(), stored.get(4).guid()),
                all.stream().map(QueuedMessage::guid).toList());
        assertEquals(List.of(stored.get(2).guid()),
                store.page(BOB, 1, stored.get(0).id(), 1).stream().map(QueuedMessage::guid).toList());
        QueuedMessage first = all.get(0);
        assertEquals(ALICE, first.sourceAccountId());
        assertEquals(MessageType.SIGNAL, first.type());
        assertEquals(10, first.clientTimestamp());
        assertEquals(20, first.serverTimestamp());
    }

    @Test
    void ids_areNotReusedAfterTheNewestRowIsDeleted() {
        QueuedMessage first = store.insert(List.of(message(BOB, 1))).get(0);
        assertTrue(store.delete(BOB, 1, first.guid()));

        QueuedMessage second = store.insert(List.of(message(BOB, 1))).get(0);

        assertTrue(second.id() > first.id());
    }

    @Test
    void delete_isScopedToTheDevice() {
        QueuedMessage m = store.insert(List.of(message(BOB, 1))).get(0);

        assertFalse(store.delete(BOB, 2, m.guid()));
        assertFalse(store.delete(ALICE, 1, m.guid()));
        assertTrue(store.delete(BOB, 1, m.guid()));
        assertFalse(store.delete(BOB, 1, m.guid()));
        assertEquals(0, store.count());
    }

    @Test
    void deleteExpired_removesRowsAtOrBeforeNow() {
        store.insert(List.of(message(BOB, 1, UUID.randomUUID().toString(), 100),
                message(BOB, 1, UUID.randomUUID().toString(), 101)));

        assertEquals(0, store.deleteExpired(Instant.ofEpochMilli(99)));
        assertEquals(1, store.deleteExpired(Instant.ofEpochMilli(100)));
        assertEquals(1, store.count());
    }

    @Test
    void reRegistrationDelete_byAccountColumn_emptiesTheAccountsQueues() {
        store.insert(List.of(message(BOB, 1), message(BOB, 2), message(ALICE, 1)));

        db.write(c -> {
            try (var s = c.prepareStatement("DELETE FROM messages WHERE account_id = ?")) {
                s.setString(1, BOB);
                return s.executeUpdate();
            }
        });

        assertEquals(1, store.count());
    }
}
