// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.messages;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;
import org.parley.protocol.MessageType;
import org.parley.server.storage.Database;
import org.parley.server.storage.StorageException;
import org.parley.server.testing.StorageBackend;

/** The {@link MessageStore} contract on every backend, including queue order under concurrent senders. */
@ParameterizedClass
@EnumSource(StorageBackend.class)
class MessageStoreContractTest {
    private static final String BOB = "11111111-1111-4111-8111-111111111111";
    private static final String ALICE = "22222222-2222-4222-8222-222222222222";

    @Parameter
    StorageBackend backend;

    @TempDir
    Path dir;

    private Database db;
    private JdbcMessageStore store;

    @BeforeEach
    void open() {
        db = backend.open(dir);
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

    /**
     * Makes the insert of any envelope whose guid starts with "bad" fail, as a broken row would: the
     * table enforces nothing a well-formed envelope could break (guids are the server's random UUIDs).
     */
    private void failRowsNamedBad() {
        db.write(c -> {
            try (var s = c.createStatement()) {
                if (db.dialect() == org.parley.server.storage.Dialect.POSTGRESQL) {
                    s.execute("CREATE FUNCTION fail_bad_rows() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                            + "IF NEW.guid LIKE 'bad%' THEN RAISE EXCEPTION 'a bad row'; END IF; RETURN NEW; END $$");
                    s.execute("CREATE TRIGGER fail_bad BEFORE INSERT ON messages FOR EACH ROW EXECUTE FUNCTION fail_bad_rows()");
                } else {
                    s.execute("CREATE TRIGGER fail_bad BEFORE INSERT ON messages WHEN NEW.guid LIKE 'bad%' "
                            + "BEGIN SELECT RAISE(ABORT, 'a bad row'); END");
                }
            }
            return null;
        });
    }

    @Test
    void insert_batchWithAFailingRow_storesNothing() {
        failRowsNamedBad();

        assertThrows(StorageException.class, () -> store.insert(List.of(message(BOB, 1), message(BOB, 2, "bad-1", 1))));

        assertEquals(0, store.count());
    }

    /**
     * Concurrent sends share commits (PostgreSQL: the shared writer; SQLite: the group commit), and a
     * send whose own insert fails (here a row the database refuses) fails alone: every other send is stored
     * whole, and no envelope of the failing one is.
     */
    @Test
    void insertLinked_concurrentSendsWithFailingOnes_othersAllStoredWhole() throws Exception {
        failRowsNamedBad();
        int senders = 40;
        List<Future<List<StoredEnvelope>>> sends = new ArrayList<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < senders; i++) {
                List<QueuedMessage> send = i % 7 == 3
                        ? List.of(message(BOB, 1), message(ALICE, 1), message(ALICE, 2, "bad-" + i, 1000))
                        : List.of(message(BOB, 1), message(ALICE, 1), message(ALICE, 2));
                sends.add(pool.submit(() -> store.insertLinked(send, m -> true)));
            }
        }
        Set<String> stored = new HashSet<>();
        int failed = 0;
        for (int i = 0; i < senders; i++) {
            if (i % 7 == 3) {
                Future<List<StoredEnvelope>> send = sends.get(i);
                var e = assertThrows(java.util.concurrent.ExecutionException.class, send::get);
                assertTrue(e.getCause() instanceof StorageException, e.getCause().toString());
                failed++;
            } else {
                sends.get(i).get().forEach(env -> stored.add(env.message().guid()));
            }
        }
        assertEquals(6, failed);
        assertEquals((senders - failed) * 3, stored.size());
        assertEquals(stored.size(), store.count(), "nothing of a failed send was stored");
        for (var queue : List.of(List.of(BOB, 1), List.of(ALICE, 1), List.of(ALICE, 2))) {
            List<QueuedMessage> page = store.page((String) queue.get(0), (Integer) queue.get(1), 0, 1000);
            assertEquals(senders - failed, page.size());
            assertTrue(page.stream().allMatch(m -> stored.contains(m.guid())));
        }
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
    void sealedEnvelope_isStoredAndPagedWithoutAnySource() {
        QueuedMessage sealed = new QueuedMessage(0, BOB, 1, UUID.randomUUID().toString(), null, 0, MessageType.SEALED,
                new byte[] {7}, 10, 20, 1000);

        store.insert(List.of(sealed));

        QueuedMessage paged = store.page(BOB, 1, 0, 10).getFirst();
        assertTrue(paged.sealed());
        assertNull(paged.sourceAccountId());
        assertEquals(0, paged.sourceDeviceId());
        assertEquals(MessageType.SEALED, paged.type());
        // NULL in the row itself, not a placeholder value.
        assertEquals(List.of(true, true), db.read(c -> {
            try (var s = c.prepareStatement("SELECT source_account_id IS NULL, source_device_id IS NULL FROM messages")) {
                try (var rs = s.executeQuery()) {
                    rs.next();
                    return List.of(rs.getBoolean(1), rs.getBoolean(2));
                }
            }
        }));
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
    void deleteExpired_overManyChunks_deletesEveryExpiredRowAndNothingElse() {
        // Long TTLs first, then shorter ones written after them (a lowered TTL), interleaved with
        // rows that stay: the walk must find expired rows anywhere in id order, not only a prefix.
        List<QueuedMessage> batch = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            batch.add(message(i % 2 == 0 ? BOB : ALICE, 1, "long-" + i, 10_000 + i));
        }
        for (int i = 0; i < 40; i++) {
            batch.add(message(i % 2 == 0 ? BOB : ALICE, 2, (i % 3 == 0 ? "stays-" : "short-") + i,
                    i % 3 == 0 ? 20_000 : 500 + i));
        }
        store.insert(batch);

        assertEquals(40 - 14, store.deleteExpired(Instant.ofEpochMilli(1_000), 7, () -> { }));
        assertEquals(Set.of(), guids().stream().filter(g -> g.startsWith("short-")).collect(java.util.stream.Collectors.toSet()));
        assertEquals(40 + 14, store.count());

        assertEquals(40, store.deleteExpired(Instant.ofEpochMilli(10_039), 7, () -> { }));
        assertEquals(14, store.count());
        assertTrue(guids().stream().allMatch(g -> g.startsWith("stays-")), guids().toString());
        assertEquals(0, store.deleteExpired(Instant.ofEpochMilli(10_039), 7, () -> { }), "nothing left to purge");
    }

    @Test
    void deleteExpired_letsSendsCommitBetweenItsChunks() throws Exception {
        List<QueuedMessage> expired = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            expired.add(message(BOB, 1, UUID.randomUUID().toString(), 100));
        }
        store.insert(expired);
        AtomicBoolean sentDuringPurge = new AtomicBoolean();
        ExecutorService sender = Executors.newSingleThreadExecutor();
        try {
            long deleted = store.deleteExpired(Instant.ofEpochMilli(100), 5, () -> {
                if (sentDuringPurge.get()) {
                    return;
                }
                // Another thread's send must commit while the purge is still under way: it would
                // wait for ever if the purge held the writer across chunks.
                try {
                    sender.submit(() -> store.insert(List.of(message(ALICE, 1, "fresh", 5_000)))).get();
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
                sentDuringPurge.set(store.page(ALICE, 1, 0, 10).stream().anyMatch(m -> m.guid().equals("fresh")));
            });

            assertTrue(sentDuringPurge.get(), "the send committed and was readable mid-purge");
            assertEquals(30, deleted);
            assertEquals(List.of("fresh"), guids());
        } finally {
            sender.shutdownNow();
        }
    }

    @Test
    void theSchemaHasNoExpiryIndex() {
        boolean present = db.read(c -> {
            String sql = backend == StorageBackend.SQLITE
                    ? "SELECT 1 FROM sqlite_master WHERE type = 'index' AND name = 'messages_by_expiry'"
                    : "SELECT 1 FROM pg_indexes WHERE indexname = 'messages_by_expiry'";
            try (var s = c.createStatement(); var rs = s.executeQuery(sql)) {
                return rs.next();
            }
        });
        assertFalse(present, "the purge walks by primary key; sends pay for no expiry index");
    }

    private List<String> guids() {
        List<String> out = new ArrayList<>();
        for (String account : List.of(ALICE, BOB)) {
            for (int device : new int[] {1, 2}) {
                store.page(account, device, 0, 1000).forEach(m -> out.add(m.guid()));
            }
        }
        return out;
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

    @Test
    void insertLinked_tellsEachMessageTheHighestIdOfItsQueueBeforeIt() {
        List<StoredEnvelope> first = store.insertLinked(List.of(message(BOB, 1), message(BOB, 2), message(BOB, 1)), m -> true);

        assertEquals(0, first.get(0).previousId());
        assertEquals(0, first.get(1).previousId(), "another device's queue does not count");
        assertEquals(first.get(0).message().id(), first.get(2).previousId());

        StoredEnvelope next = store.insertLinked(List.of(message(BOB, 1)), m -> true).get(0);
        assertEquals(first.get(2).message().id(), next.previousId());

        assertTrue(store.delete(BOB, 1, next.message().guid()));
        StoredEnvelope afterDelete = store.insertLinked(List.of(message(BOB, 1)), m -> true).get(0);
        // At least the highest id still queued and below its own: SQLite remembers the deleted id
        // it assigned last, PostgreSQL reads the highest left; either way nothing lies in between.
        assertTrue(afterDelete.previousId() >= first.get(2).message().id(), "not below the highest id still queued");
        assertTrue(afterDelete.previousId() < afterDelete.message().id(), "below its own id");

        List<StoredEnvelope> unasked = store.insertLinked(List.of(message(BOB, 1), message(BOB, 2)), m -> m.deviceId() == 2);
        assertEquals(StoredEnvelope.UNKNOWN, unasked.get(0).previousId(), "not asked for: never handed over");
        assertEquals(first.get(1).message().id(), unasked.get(1).previousId());
    }

    /**
     * A rolled-back insert's id may be given out again (SQLite's sequence rolls back with it): the
     * next envelope must not name it, nor anything at or above its own id, as its previous id.
     */
    @Test
    void insertLinked_afterARolledBackInsert_previousIdStaysBelowItsOwn() {
        StoredEnvelope kept = store.insertLinked(List.of(message(BOB, 1)), m -> true).get(0);
        assertThrows(IllegalStateException.class, () -> db.write(c -> {
            store.insertLinked(List.of(message(BOB, 1), message(BOB, 1)), m -> true);
            throw new IllegalStateException("roll back");
        }));
        StoredEnvelope next = store.insertLinked(List.of(message(BOB, 1)), m -> true).get(0);

        assertTrue(next.previousId() == StoredEnvelope.UNKNOWN
                        || (next.previousId() >= kept.message().id() && next.previousId() < next.message().id()),
                "previous " + next.previousId() + " for id " + next.message().id());
    }

    /**
     * What lets delivery hand an envelope over without reading the queue: under concurrent
     * senders (several connections, nodes on PostgreSQL), the envelopes of one queue, in id order,
     * each name the one before as their previous id. No id can slip in between.
     */
    @Test
    void insertLinked_concurrentSenders_previousIdsChainTheQueueInIdOrder() throws Exception {
        int senders = 6;
        int sendsEach = 30;
        List<StoredEnvelope> all = java.util.Collections.synchronizedList(new ArrayList<>());
        try (ExecutorService pool = Executors.newFixedThreadPool(senders)) {
            List<Future<?>> writers = new ArrayList<>();
            for (int w = 0; w < senders; w++) {
                int writer = w;
                writers.add(pool.submit(() -> {
                    for (int i = 0; i < sendsEach; i++) {
                        List<QueuedMessage> batch = (writer + i) % 2 == 0
                                ? List.of(message(BOB, 1), message(BOB, 2)) : List.of(message(BOB, 2), message(BOB, 1));
                        all.addAll(store.insertLinked(batch, m -> true));
                    }
                    return null;
                }));
            }
            for (Future<?> w : writers) {
                w.get(120, TimeUnit.SECONDS);
            }
        }
        for (int device = 1; device <= 2; device++) {
            int d = device;
            List<StoredEnvelope> queue = all.stream().filter(e -> e.message().deviceId() == d)
                    .sorted(java.util.Comparator.comparingLong(e -> e.message().id())).toList();
            assertEquals(senders * sendsEach, queue.size());
            long previous = 0;
            for (StoredEnvelope e : queue) {
                assertEquals(previous, e.previousId(), "previous id of queue position " + e.message().id());
                previous = e.message().id();
            }
        }
    }

    @Test
    void deleteMany_deletesOnlyFromEachEntrysOwnQueue_inOneCall() {
        List<QueuedMessage> m = store.insert(List.of(message(BOB, 1), message(BOB, 2), message(ALICE, 1)));

        long deleted = store.delete(List.of(
                new QueueEntry(BOB, 1, m.get(0).guid()),
                new QueueEntry(BOB, 1, m.get(1).guid()), // BOB.2's envelope named as BOB.1's: refused
                new QueueEntry(ALICE, 1, m.get(2).guid()),
                new QueueEntry(ALICE, 1, m.get(2).guid()), // a repeated ack
                new QueueEntry(BOB, 1, UUID.randomUUID().toString())));

        assertEquals(2, deleted);
        assertEquals(List.of(m.get(1).guid()), store.page(BOB, 2, 0, 10).stream().map(QueuedMessage::guid).toList());
        assertEquals(1, store.count());
        assertEquals(0, store.delete(List.of()));
    }

    /** The delivery connection's acks: by queue id, still only from the entry's own device's queue. */
    @Test
    void deleteMany_byQueueId_deletesOnlyFromEachEntrysOwnQueue() {
        List<QueuedMessage> m = store.insert(List.of(message(BOB, 1), message(BOB, 2), message(ALICE, 1), message(BOB, 1)));

        long deleted = store.delete(List.of(
                new QueueEntry(BOB, 1, m.get(0).id(), m.get(0).guid()),
                new QueueEntry(BOB, 1, m.get(1).id(), m.get(1).guid()), // BOB.2's envelope named as BOB.1's: refused
                new QueueEntry(BOB, 1, m.get(2).id(), m.get(2).guid()), // ALICE's envelope named as BOB's: refused
                new QueueEntry(BOB, 1, m.get(0).id(), m.get(0).guid()), // a repeated ack
                new QueueEntry(BOB, 1, m.get(3).guid()))); // the guid only: found in the queue

        assertEquals(2, deleted);
        assertEquals(List.of(), store.page(BOB, 1, 0, 10));
        assertEquals(2, store.count());
    }

    /**
     * No index on guid on either backend (messages-queue.sql, V70): the guid is the server's random
     * UUID, so a key on it would only cost an index update per envelope.
     */
    @Test
    void guid_isNotAKey() {
        String guid = UUID.randomUUID().toString();

        store.insert(List.of(message(BOB, 1, guid, 1000), message(BOB, 1, guid, 1000)));

        assertEquals(2, store.count());
    }

    /** A second store on the same database (SQLite: a restarted process) hands out ids above every stored one. */
    @Test
    void ids_ofANewStore_startAboveEveryStoredId() {
        store.insert(List.of(message(BOB, 1), message(BOB, 1)));
        QueuedMessage last = store.insert(List.of(message(ALICE, 1))).get(0);

        QueuedMessage next = new JdbcMessageStore(db).insert(List.of(message(ALICE, 1))).get(0);

        assertTrue(next.id() > last.id(), next.id() + " after " + last.id());
    }

    /**
     * Senders on several threads (nodes, on PostgreSQL) fill two queues while a reader pages through
     * one of them the way a delivery loop does, asking only for ids above the last one it got. Each
     * insert commits a little after drawing its id, as a slow commit would. The reader must still
     * see every message: an id that became visible after a higher one would be skipped for good.
     */
    @Test
    void concurrentSenders_aReaderPagingByLastIdNeverSkipsAMessage() throws Exception {
        int senders = 6;
        int sendsEach = 30;
        AtomicBoolean sendersDone = new AtomicBoolean();
        Set<String> sent = ConcurrentHashMap.newKeySet();
        try (ExecutorService pool = Executors.newFixedThreadPool(senders + 1)) {
            Future<List<String>> reader = pool.submit(() -> {
                List<String> seen = new ArrayList<>();
                long lastId = 0;
                while (true) {
                    boolean finalPass = sendersDone.get();
                    List<QueuedMessage> page = store.page(BOB, 1, lastId, 50);
                    for (QueuedMessage m : page) {
                        seen.add(m.guid());
                        lastId = m.id();
                    }
                    if (finalPass && page.isEmpty()) {
                        return seen;
                    }
                }
            });
            List<Future<?>> writers = new ArrayList<>();
            for (int w = 0; w < senders; w++) {
                int writer = w;
                writers.add(pool.submit(() -> {
                    for (int i = 0; i < sendsEach; i++) {
                        // Alternate the order of the two queues in a batch: locks are taken sorted, so no deadlock.
                        List<QueuedMessage> batch = (writer + i) % 2 == 0
                                ? List.of(message(BOB, 1), message(BOB, 2)) : List.of(message(BOB, 2), message(BOB, 1));
                        db.write(c -> {
                            for (QueuedMessage m : store.insert(batch)) {
                                if (m.deviceId() == 1) {
                                    sent.add(m.guid());
                                }
                            }
                            slowCommit();
                            return null;
                        });
                    }
                    return null;
                }));
            }
            for (Future<?> w : writers) {
                w.get(120, TimeUnit.SECONDS);
            }
            sendersDone.set(true);
            List<String> seen = reader.get(120, TimeUnit.SECONDS);
            assertEquals(senders * sendsEach, sent.size());
            assertEquals(sent, new HashSet<>(seen), "the reader skipped messages");
            assertEquals(seen.size(), new HashSet<>(seen).size(), "the reader saw a message twice");
        }
    }

    private static void slowCommit() {
        try {
            Thread.sleep(ThreadLocalRandom.current().nextInt(3));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
