// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.messages;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.parley.protocol.MessageType;
import org.parley.server.storage.StorageBusy;
import org.parley.server.storage.StorageException;
import org.parley.testing.Eventually;

/** How {@link InsertCombiner} groups concurrent sends and isolates a failing one, with the write faked. */
class InsertCombinerTest {
    private static final String BOB = "11111111-1111-4111-8111-111111111111";

    /** Records every combined write; sends whose guid starts with "bad" fail any write that holds them. */
    private final List<List<InsertCombiner.Send>> writes = Collections.synchronizedList(new ArrayList<>());
    private final CountDownLatch firstWriteStarted = new CountDownLatch(1);
    private final CountDownLatch releaseFirstWrite = new CountDownLatch(1);

    private final InsertCombiner combiner = new InsertCombiner(sends -> {
        writes.add(sends);
        if (writes.size() == 1) {
            firstWriteStarted.countDown();
            try {
                releaseFirstWrite.await();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }
        if (sends.stream().anyMatch(s -> s.messages().getFirst().guid().startsWith("bad"))) {
            if (sends.stream().anyMatch(s -> s.messages().getFirst().guid().startsWith("bad-busy"))) {
                throw new StorageBusy("every database connection stayed busy", null);
            }
            throw new StorageException("duplicate key value violates unique constraint", null);
        }
        return sends.stream().map(s -> s.messages().stream().map(m -> new StoredEnvelope(m, 0)).toList()).toList();
    });

    private static InsertCombiner.Send send(String guid) {
        return new InsertCombiner.Send(List.of(new QueuedMessage(0, BOB, 1, guid, BOB, 2, MessageType.SIGNAL,
                new byte[] {1}, 1, 2, 3)), m -> true);
    }

    /** Sends that arrive while a write is running are written together by the next one. */
    @Test
    void insert_sendsArrivingDuringAWrite_areWrittenTogetherInTheNext() throws Exception {
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<List<StoredEnvelope>> first = pool.submit(() -> combiner.insert(send("first")));
            assertTrue(firstWriteStarted.await(30, TimeUnit.SECONDS));
            List<Future<List<StoredEnvelope>>> later = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                String guid = "later-" + i;
                later.add(pool.submit(() -> combiner.insert(send(guid))));
            }
            Eventually.eventually(() -> queued(later) , Duration.ofSeconds(30), "the ten sends wait");
            releaseFirstWrite.countDown();

            assertEquals("first", first.get(30, TimeUnit.SECONDS).getFirst().message().guid());
            for (int i = 0; i < 10; i++) {
                assertEquals("later-" + i, later.get(i).get(30, TimeUnit.SECONDS).getFirst().message().guid());
            }
        }
        assertEquals(2, writes.size(), "one write for the first send, one for the ten: " + writes.size());
        assertEquals(10, writes.get(1).size());
    }

    /** A send whose rows fail makes the combined write fail; each send is then written alone and only it fails. */
    @Test
    void insert_oneFailingSendInACombinedWrite_failsAloneAndTheOthersCommit() throws Exception {
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<List<StoredEnvelope>> first = pool.submit(() -> combiner.insert(send("first")));
            assertTrue(firstWriteStarted.await(30, TimeUnit.SECONDS));
            List<Future<List<StoredEnvelope>>> later = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                String guid = (i == 2 ? "bad-" : "good-") + i;
                later.add(pool.submit(() -> combiner.insert(send(guid))));
            }
            Eventually.eventually(() -> queued(later), Duration.ofSeconds(30), "the five sends wait");
            releaseFirstWrite.countDown();

            first.get(30, TimeUnit.SECONDS);
            for (int i = 0; i < 5; i++) {
                Future<List<StoredEnvelope>> f = later.get(i);
                if (i == 2) {
                    ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(30, TimeUnit.SECONDS));
                    assertTrue(e.getCause() instanceof StorageException, e.getCause().toString());
                } else {
                    assertEquals("good-" + i, f.get(30, TimeUnit.SECONDS).getFirst().message().guid());
                }
            }
        }
        // first, the combined five (failed), then each of the five alone.
        assertEquals(7, writes.size());
    }

    /** A saturated pool fails the whole combined write as it is (429 for each), not five more attempts. */
    @Test
    void insert_poolBusy_failsEverySendOfTheWriteWithStorageBusy() throws Exception {
        releaseFirstWrite.countDown();
        StorageBusy e = assertThrows(StorageBusy.class, () -> combiner.insert(send("bad-busy")));
        assertSame(StorageBusy.class, e.getClass());
        assertEquals(1, writes.size());
    }

    /** True once every future's thread is parked behind the running write (none has finished). */
    private boolean queued(List<Future<List<StoredEnvelope>>> futures) {
        return combinerWaiting() >= futures.size();
    }

    private int combinerWaiting() {
        return combiner.waiting();
    }
}
