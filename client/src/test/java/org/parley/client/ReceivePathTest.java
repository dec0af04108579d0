// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.client;

import org.parley.client.error.ParleyTransportException;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.client.crypto.DecryptionException;
import org.parley.client.crypto.EncryptedMessage;
import org.parley.client.crypto.Plaintext;
import org.parley.client.crypto.SessionCrypto;
import org.parley.client.crypto.TestDevice;
import org.parley.client.store.HistoryEntry;
import org.parley.client.store.HomeLock;
import org.parley.client.store.LocalState;
import org.parley.protocol.Envelope;
import org.parley.protocol.MessageType;

/**
 * The per-envelope receive path with real devices, real libsignal and real SQLite, and no server: the
 * envelopes are built here as the server would deliver them. Two "receivers" of one home are two
 * connections to its {@code state.db}, as two processes would have.
 */
class ReceivePathTest {
    private static final String ALICE_HANDLE = "alice@example.org";
    private static final String BOB_HANDLE = "bob@example.org";

    @TempDir
    Path tmp;

    private TestDevice alice;
    private TestDevice bob;

    @BeforeEach
    void setUp() {
        alice = new TestDevice(tmp.resolve("alice"), "aaaaaaaa-0000-4000-8000-000000000001", 1, 5);
        bob = new TestDevice(tmp.resolve("bob"), "bbbbbbbb-0000-4000-8000-000000000002", 1, 5);
        alice.crypto.startSession(bob.accountId, bob.fetchBundle());
    }

    @AfterEach
    void tearDown() {
        alice.close();
        bob.close();
    }

    /** Alice's next message to Bob, as the server delivers it. */
    private Envelope envelopeFromAlice(String text) {
        long now = System.currentTimeMillis();
        EncryptedMessage m = alice.crypto.encrypt(bob.address(), Plaintext.message(text, now).encode());
        return new Envelope(UUID.randomUUID().toString(), alice.accountId, alice.deviceId, ALICE_HANDLE, bob.deviceId,
                m.type(), m.content(), now, now);
    }

    private List<Envelope> envelopesFromAlice(int count) {
        List<Envelope> envelopes = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            envelopes.add(envelopeFromAlice("message " + i));
        }
        return envelopes;
    }

    private static ReceivePath path(LocalState state, HomeLock lock, ReceiveHandler handler) {
        return new ReceivePath(state, new SessionCrypto(state.protocolStore()), BOB_HANDLE,
                "bbbbbbbb-0000-4000-8000-000000000002", lock, ReceiveOptions.drain(), handler);
    }

    /**
     * Issue 9 item 19: the GUID check ran before the decrypt transaction, so a second receiver holding the
     * same envelope could decrypt it after the first had committed, and report it as undecryptable.
     */
    @Test
    void store_sameEnvelopesOnTwoConnectionsAtOnce_eachStoredOnceNoneUndecryptable() throws Exception {
        List<Envelope> envelopes = envelopesFromAlice(60);
        try (LocalState second = LocalState.open(bob.home);
             ExecutorService threads = Executors.newFixedThreadPool(2)) {
            List<EnvelopeStore> stores = List.of(
                    new EnvelopeStore(bob.state, bob.crypto, bob.accountId),
                    new EnvelopeStore(second, new SessionCrypto(second.protocolStore()), bob.accountId));
            Map<EnvelopeStore.Result, AtomicInteger> results = new ConcurrentHashMap<>();
            CountDownLatch start = new CountDownLatch(1);
            List<Future<?>> runs = new ArrayList<>();
            for (EnvelopeStore store : stores) {
                runs.add(threads.submit(() -> {
                    start.await();
                    for (Envelope envelope : envelopes) {
                        results.computeIfAbsent(store.store(envelope), r -> new AtomicInteger()).incrementAndGet();
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> run : runs) {
                run.get(60, TimeUnit.SECONDS);
            }

            assertNull(results.get(EnvelopeStore.Result.UNDECRYPTABLE), results.toString());
            assertEquals(60, results.get(EnvelopeStore.Result.MESSAGE).get());
            assertEquals(60, results.get(EnvelopeStore.Result.DUPLICATE).get());
        }
        List<HistoryEntry> history = bob.state.history().latest(100);
        assertEquals(envelopes.stream().map(Envelope::guid).toList(), history.stream().map(HistoryEntry::guid).toList());
    }

    /**
     * Two receivers of one home hold the same envelope. The second reaches it while the first is showing it
     * (its handler is still running): it must wait for the home's lock instead of showing it too. Without the
     * lock the second receiver finds the entry still unshown and shows it again, which the handler detects.
     */
    @Test
    void handle_secondReceiverWhileFirstShows_waitsAndShowsNothing() throws Exception {
        Envelope envelope = envelopeFromAlice("only once");
        List<String> shownBySecond = new CopyOnWriteArrayList<>();
        try (LocalState second = LocalState.open(bob.home);
             HomeLock firstLock = HomeLock.open(bob.home);
             HomeLock secondLock = HomeLock.open(bob.home)) {
            ReceivePath secondPath = path(second, secondLock, event -> shownBySecond.add(((ReceivedMessage) event).text()));
            Thread[] secondReceiver = new Thread[1];
            List<String> shownByFirst = new ArrayList<>();
            ReceivePath firstPath = path(bob.state, firstLock, event -> {
                shownByFirst.add(((ReceivedMessage) event).text());
                // While this entry is being shown, the other receiver gets the same envelope.
                secondReceiver[0] = Thread.ofPlatform().start(() -> secondPath.handle(envelope, guid -> { }));
                awaitBlockedInLockOrShown(secondReceiver[0], shownBySecond);
            });

            firstPath.handle(envelope, guid -> { });
            secondReceiver[0].join(Duration.ofSeconds(30));

            assertEquals(List.of("only once"), shownByFirst);
            assertEquals(List.of(), shownBySecond);
            assertEquals(1, secondPath.duplicates());
        }
    }

    /** Waits until {@code thread} waits for the home lock, or (without the lock) has shown something. */
    private static void awaitBlockedInLockOrShown(Thread thread, List<String> shown) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            if (!shown.isEmpty() || Arrays.stream(thread.getStackTrace())
                    .anyMatch(f -> f.getClassName().equals(HomeLock.class.getName()) && f.getMethodName().equals("acquire"))) {
                return;
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }
        throw new AssertionError("the second receiver neither waited for the lock nor showed the message");
    }

    @Test
    void handle_ackFails_messageStillStoredAndShown() {
        List<ReceiveEvent> events = new ArrayList<>();
        try (HomeLock lock = HomeLock.open(bob.home)) {
            ReceivePath path = path(bob.state, lock, events::add);

            String failure = path.handle(envelopeFromAlice("hi"), guid -> {
                throw new ParleyTransportException("connection gone", null);
            });

            assertEquals("connection gone", failure);
        }
        assertEquals("hi", assertInstanceOf(ReceivedMessage.class, events.getFirst()).text());
        assertTrue(bob.state.history().unshown().isEmpty());
    }

    @Test
    void handle_garbageThenRedelivered_reportedOnceAsUndecryptable() {
        long now = System.currentTimeMillis();
        Envelope garbage = new Envelope(UUID.randomUUID().toString(), alice.accountId, alice.deviceId, ALICE_HANDLE,
                bob.deviceId, MessageType.SIGNAL, new byte[] {1, 2, 3}, now, now);
        List<ReceiveEvent> events = new ArrayList<>();
        try (HomeLock lock = HomeLock.open(bob.home)) {
            ReceivePath path = path(bob.state, lock, events::add);

            path.handle(garbage, guid -> { });
            path.handle(garbage, guid -> { });

            assertEquals(1, path.failures());
            assertEquals(1, path.duplicates());
        }
        UndecryptableMessage reported = assertInstanceOf(UndecryptableMessage.class, events.getFirst());
        assertEquals(1, events.size());
        assertEquals(ALICE_HANDLE, reported.senderHandle());
        assertEquals(DecryptionException.Reason.INVALID_MESSAGE, reported.reason());
    }

    @Test
    void handle_handlerThrows_entryShownByNextPathOnly() {
        Envelope envelope = envelopeFromAlice("still here");
        List<String> later = Collections.synchronizedList(new ArrayList<>());
        try (HomeLock lock = HomeLock.open(bob.home)) {
            ReceivePath crashing = path(bob.state, lock, event -> {
                throw new IllegalStateException("terminal closed");
            });
            try {
                crashing.handle(envelope, guid -> { });
            } catch (IllegalStateException expected) {
                // the handler's failure ends that receive
            }
            ReceivePath next = path(bob.state, lock, event -> later.add(((ReceivedMessage) event).text()));
            next.showUnshown();
            next.showUnshown();
        }
        assertEquals(List.of("still here"), later);
    }

    /**
     * Issue 11: a burst is stored in one commit before any of its acks goes out, and an envelope that
     * fails to decrypt in the middle undoes only its own writes (its savepoint), not its neighbours'.
     */
    @Test
    void handleBurst_garbageAndRepeatInside_othersStoredAndCommittedBeforeTheFirstAck() {
        List<Envelope> burst = new ArrayList<>(envelopesFromAlice(3));
        long now = System.currentTimeMillis();
        burst.add(1, new Envelope(UUID.randomUUID().toString(), alice.accountId, alice.deviceId, ALICE_HANDLE,
                bob.deviceId, MessageType.SIGNAL, new byte[] {1, 2, 3}, now, now));
        burst.add(burst.getFirst()); // the same envelope twice in one burst
        List<ReceiveEvent> events = new ArrayList<>();
        List<Integer> committedAtAck = new ArrayList<>();
        try (HomeLock lock = HomeLock.open(bob.home);
             LocalState other = LocalState.open(bob.home)) {
            ReceivePath path = path(bob.state, lock, events::add);

            // Another connection sees only committed rows.
            String failure = path.handle(burst, guid -> committedAtAck.add(other.history().latest(100).size()));

            assertNull(failure);
            assertEquals(3, path.messages());
            assertEquals(1, path.failures());
            assertEquals(1, path.duplicates());
        }
        assertEquals(List.of(4, 4, 4, 4, 4), committedAtAck);
        assertEquals(List.of("message 0", "message 1", "message 2"), events.stream()
                .filter(ReceivedMessage.class::isInstance).map(e -> ((ReceivedMessage) e).text()).toList());
        // The session moved on with the burst: Alice's next message decrypts.
        try (HomeLock lock = HomeLock.open(bob.home)) {
            List<ReceiveEvent> later = new ArrayList<>();
            path(bob.state, lock, later::add).handle(envelopeFromAlice("after"), guid -> { });
            assertEquals("after", assertInstanceOf(ReceivedMessage.class, later.getFirst()).text());
        }
    }
}
