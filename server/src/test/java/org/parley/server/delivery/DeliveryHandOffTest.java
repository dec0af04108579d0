// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.parley.protocol.Frame;
import org.parley.server.messages.QueuedMessage;
import org.parley.server.storage.Database;
import org.parley.server.testing.AccountsTestServer.Device;
import org.parley.testing.Eventually;

/**
 * The in-memory hand-off of just-stored envelopes and the batched ack deletes, end to end: real
 * server, real SQLite, real WebSocket. Whatever path an envelope takes, the device must see its
 * queue in id order, each envelope once, and an ack must end in a committed delete.
 */
class DeliveryHandOffTest extends WebSocketTestBase {
    private WsTestClient connect(Device device) throws Exception {
        WsTestClient client = server.connect(device);
        track(client);
        return client;
    }

    private double counter(String name) {
        return server.meters.get(name).counter().count();
    }

    private static void eventually(BooleanSupplier condition, String what) throws InterruptedException {
        Eventually.eventually(condition, Duration.ofSeconds(30), what);
    }

    private static String guidOf(com.fasterxml.jackson.databind.JsonNode response) {
        return response.get("guids").get(0).get("guid").asText();
    }

    @Test
    void caughtUpConnection_getsEachNewEnvelopeHandedOver_withItsSenderHandle() throws Exception {
        server = DeliveryTestServer.start(dir);
        Device alice = server.register("alice@example.org");
        Device bob = server.register("bob@example.org");
        WsTestClient bobWs = connect(bob);
        assertInstanceOf(Frame.QueueEmpty.class, bobWs.next());

        for (int i = 0; i < 5; i++) {
            String guid = guidOf(server.sendText(alice, bob, "live " + i));
            Frame.EnvelopeFrame frame = bobWs.nextEnvelope();
            assertEquals(guid, frame.envelope().guid());
            assertEquals("alice@example.org", frame.envelope().sourceHandle());
            assertEquals(alice.accountId(), frame.envelope().sourceAccountId());
        }

        // Nothing acked, so each new envelope's predecessor was the one just sent: all five handed over.
        assertEquals(5, counter("parley.delivery.envelopes.handed"));
        assertEquals(5, counter("parley.delivery.envelopes"));
    }

    /**
     * Several senders at once, so hand-offs reach the connection out of id order and with gaps.
     * The device must still see exactly the queue, in queue order.
     */
    @Test
    void concurrentSenders_deviceSeesTheQueueInIdOrder_eachOnce() throws Exception {
        server = DeliveryTestServer.start(dir, 1_000, DeliveryFeature.DEFAULT_KEEPALIVE);
        Device bob = server.register("bob@example.org");
        List<Device> senders = new ArrayList<>();
        for (int s = 0; s < 4; s++) {
            senders.add(server.register("sender" + s + "@example.org"));
        }
        WsTestClient bobWs = connect(bob);
        assertInstanceOf(Frame.QueueEmpty.class, bobWs.next());

        int each = 40;
        try (ExecutorService pool = Executors.newFixedThreadPool(senders.size())) {
            List<Future<?>> sending = new ArrayList<>();
            for (Device sender : senders) {
                sending.add(pool.submit(() -> {
                    for (int i = 0; i < each; i++) {
                        server.sendText(sender, bob, "m" + i);
                    }
                    return null;
                }));
            }
            for (Future<?> f : sending) {
                f.get(120, TimeUnit.SECONDS);
            }
        }
        List<String> received = new ArrayList<>();
        for (int i = 0; i < senders.size() * each; i++) {
            received.add(bobWs.nextEnvelope().envelope().guid());
        }
        bobWs.expectSilence(Duration.ofMillis(300));

        List<String> queueOrder = server.store.page(bob.accountId(), 1, 0, 10_000).stream()
                .map(QueuedMessage::guid).toList();
        assertEquals(senders.size() * each, queueOrder.size());
        assertEquals(queueOrder, received, "delivered in queue (id) order, each once");
        assertTrue(counter("parley.delivery.envelopes.handed") > 0, "some envelopes were handed over");
    }

    /**
     * Envelopes sent while a backlog larger than a page and than the window is being drained
     * arrive after the backlog and its queue-empty, in order, none lost or doubled.
     */
    @Test
    void handOffWhileBacklogDrains_backlogThenQueueEmptyThenLive_inOrder() throws Exception {
        server = DeliveryTestServer.start(dir, 20, DeliveryFeature.DEFAULT_KEEPALIVE);
        Device alice = server.register("alice@example.org");
        Device bob = server.register("bob@example.org");
        List<String> backlog = new ArrayList<>();
        for (int i = 0; i < 150; i++) {
            backlog.add(guidOf(server.sendText(alice, bob, "backlog " + i)));
        }

        WsTestClient bobWs = connect(bob);
        List<String> live = new ArrayList<>();
        List<Object> received = new ArrayList<>();
        int liveCount = 60;
        try (ExecutorService pool = Executors.newSingleThreadExecutor()) {
            Future<?> sending = pool.submit(() -> {
                for (int i = 0; i < liveCount; i++) {
                    live.add(guidOf(server.sendText(alice, bob, "live " + i)));
                }
                return null;
            });
            int envelopes = 0;
            while (envelopes < backlog.size() + liveCount) {
                Frame frame = bobWs.next(Duration.ofSeconds(30));
                if (frame instanceof Frame.EnvelopeFrame e) {
                    envelopes++;
                    received.add(e.envelope().guid());
                    bobWs.ack(e.envelope().guid());
                } else {
                    received.add(frame);
                }
                if (envelopes == backlog.size() + liveCount && !sending.isDone()) {
                    sending.get(120, TimeUnit.SECONDS);
                }
            }
            sending.get(120, TimeUnit.SECONDS);
        }
        if (received.stream().noneMatch(Frame.QueueEmpty.class::isInstance)) {
            // Every live send committed before the loop looked at the queue: all of it was backlog.
            received.add(bobWs.next());
        }
        bobWs.expectSilence(Duration.ofMillis(300));

        List<Object> expected = new ArrayList<>(backlog);
        expected.addAll(live);
        int queueEmptyAt = -1;
        for (int i = 0; i < received.size(); i++) {
            if (received.get(i) instanceof Frame.QueueEmpty) {
                assertEquals(-1, queueEmptyAt, "one queue-empty");
                queueEmptyAt = i;
            }
        }
        // Live sends that committed before the connection looked at its queue count as backlog.
        assertTrue(queueEmptyAt >= backlog.size(), "queue-empty only after the whole backlog");
        received.remove(queueEmptyAt);
        assertEquals(expected, received, "backlog then live, in send order, each once");
        eventually(() -> server.store.count() == 0, "every acked envelope is deleted");
    }

    /**
     * Acks from several connections at once are deleted in shared transactions; each delete is
     * committed (another connection to the database file sees the rows gone) and counted once, and
     * nothing acknowledged is delivered again.
     */
    @Test
    void acksFromManyConnections_areCommittedDeletes_andNotRedelivered() throws Exception {
        server = DeliveryTestServer.start(dir);
        Device alice = server.register("alice@example.org");
        List<Device> recipients = new ArrayList<>();
        for (int r = 0; r < 3; r++) {
            recipients.add(server.register("r" + r + "@example.org"));
        }
        int each = 80;
        for (Device r : recipients) {
            for (int i = 0; i < each; i++) {
                server.sendText(alice, r, "m" + i);
            }
        }

        try (ExecutorService pool = Executors.newFixedThreadPool(recipients.size())) {
            List<Future<List<String>>> draining = new ArrayList<>();
            for (Device r : recipients) {
                WsTestClient ws = connect(r);
                draining.add(pool.submit(() -> {
                    List<String> got = new ArrayList<>();
                    while (got.size() < each) {
                        if (ws.next(Duration.ofSeconds(30)) instanceof Frame.EnvelopeFrame e) {
                            got.add(e.envelope().guid());
                            ws.ack(e.envelope().guid());
                        }
                    }
                    return got;
                }));
            }
            for (Future<List<String>> f : draining) {
                assertEquals(each, new HashSet<>(f.get(120, TimeUnit.SECONDS)).size());
            }
        }

        eventually(() -> counter("parley.delivery.acks") == recipients.size() * each, "every ack is counted once");
        try (Database other = Database.openSqlite(server.databaseFile, "FULL")) {
            long left = other.read(c -> {
                try (var s = c.createStatement(); var rs = s.executeQuery("SELECT COUNT(*) FROM messages")) {
                    return rs.next() ? rs.getLong(1) : -1L;
                }
            });
            assertEquals(0, left, "the deletes are committed");
        }
        for (Device r : recipients) {
            assertInstanceOf(Frame.QueueEmpty.class, connect(r).next(), "nothing acknowledged comes again");
        }
    }
}
