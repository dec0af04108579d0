// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.parley.client.IdentityChangeNotice;
import org.parley.client.error.ParleyApiException;
import org.parley.client.ParleyClient;
import org.parley.client.PreKeyRefill;
import org.parley.client.ReceiveEvent;
import org.parley.client.ReceiveObserver;
import org.parley.client.ReceiveOptions;
import org.parley.client.ReceiveSummary;
import org.parley.client.ReceivedMessage;
import org.parley.client.SafetyNumberReport;
import org.parley.client.SendResult;
import org.parley.client.UndecryptableMessage;
import org.parley.client.crypto.SessionCrypto;
import org.parley.client.store.LocalState;
import org.parley.client.transport.DeviceCredentials;
import org.parley.client.transport.ParleyApi;
import org.parley.protocol.LookupResult;
import org.parley.protocol.MessageType;
import org.parley.protocol.OutgoingMessage;
import org.parley.protocol.Route;
import org.parley.protocol.SendMessageRequest;
import org.signal.libsignal.protocol.SignalProtocolAddress;
import org.parley.testing.Eventually;

/** The client library against the real server: registration, lookup, send, receive, recovery paths. */
class ParleyClientEndToEndTest {
    @RegisterExtension
    static final CliUsers users = new CliUsers();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private String aliceHandle;
    private String bobHandle;
    private ParleyClient alice;
    private ParleyClient bob;

    @BeforeEach
    void registerTwoUsers() {
        aliceHandle = UserTestServer.freshHandle("alice");
        bobHandle = UserTestServer.freshHandle("bob");
        alice = users.server().register(users.homes().resolve("alice"), aliceHandle);
        bob = users.server().register(users.homes().resolve("bob"), bobHandle);
    }

    @AfterEach
    void closeClients() {
        alice.close();
        bob.close();
    }

    private static List<ReceiveEvent> receiveAll(ParleyClient client) {
        List<ReceiveEvent> events = new ArrayList<>();
        // Sends are committed to the queue before they return, so draining the backlog finds them all.
        client.receive(ReceiveOptions.drain(), events::add);
        return events;
    }

    private static List<String> texts(List<ReceiveEvent> events) {
        return events.stream().filter(ReceivedMessage.class::isInstance).map(e -> ((ReceivedMessage) e).text()).toList();
    }

    @Test
    void verify_newDevice_uploadsHundredOneTimeKeysOfEachKind() {
        PreKeyRefill refill = alice.refillPreKeys();

        assertEquals(100, refill.preKeysBefore());
        assertEquals(100, refill.pqPreKeysBefore());
        assertFalse(refill.uploaded());
        assertTrue(alice.account().orElseThrow().registered());
        assertEquals(aliceHandle, alice.account().orElseThrow().handle());
    }

    @Test
    void lookup_registeredAndUnknown_givesRoutesInOrder() {
        String unknown = UserTestServer.freshHandle("nobody");

        List<LookupResult> results = alice.lookup(List.of(bobHandle, unknown));

        assertEquals(Route.PARLEY, results.get(0).route());
        assertEquals(1, results.get(0).devices().size());
        assertEquals(Route.SMS, results.get(1).route());
        assertEquals(unknown, results.get(1).handle());
    }

    @Test
    void lookup_moreThanHundredHandles_isChunked() {
        List<String> handles = new ArrayList<>();
        for (int i = 0; i < 130; i++) {
            handles.add(UserTestServer.freshHandle("n" + i));
        }
        handles.add(bobHandle);

        List<LookupResult> results = alice.lookup(handles);

        assertEquals(131, results.size());
        assertEquals(Route.PARLEY, results.getLast().route());
        assertEquals(handles.getFirst(), results.getFirst().handle());
    }

    @Test
    void lookup_invalidHandle_failsLocally() {
        assertThrows(IllegalArgumentException.class, () -> alice.lookup(List.of("not a handle")));
    }

    @Test
    void sendAndReceive_bothWays_deliversText() {
        SendResult sent = alice.send(bobHandle, "hello bob");
        assertEquals(1, assertInstanceOf(SendResult.Delivered.class, sent).deviceCount());

        List<ReceiveEvent> atBob = receiveAll(bob);
        assertEquals(List.of("hello bob"), texts(atBob));
        ReceivedMessage message = (ReceivedMessage) atBob.getFirst();
        assertEquals(aliceHandle, message.senderHandle());
        assertEquals(1, message.sourceDeviceId());
        assertNull(message.syncedTo());
        assertTrue(message.serverTimestamp() >= message.sentAt() - 60_000);

        bob.send(aliceHandle, "hi alice");
        bob.send(aliceHandle, "second");
        assertEquals(List.of("hi alice", "second"), texts(receiveAll(alice)));
        // Nothing is left or redelivered; each side gets the other's receipts (delivered, read) only.
        assertEquals(List.of(), withoutReceipts(receiveAll(bob)));
        assertEquals(List.of(), withoutReceipts(receiveAll(alice)));
        assertEquals(List.of(), receiveAll(bob));
    }

    private static List<ReceiveEvent> withoutReceipts(List<ReceiveEvent> events) {
        return events.stream().filter(e -> !(e instanceof org.parley.client.ReceiptNotice)).toList();
    }

    @Test
    void send_toUnknownHandle_saysNotOnParley() {
        String unknown = UserTestServer.freshHandle("nobody");

        SendResult result = alice.send(unknown, "hi");

        assertEquals(new SendResult.NotOnParley(unknown), result);
    }

    /** Issue 9 item 18: a receive that dies after the ack but before the message was shown lost it. */
    @Test
    void receive_handlerFailsAfterAck_nextReceiveShowsMessageOnce() {
        alice.send(bobHandle, "only once");
        assertThrows(IllegalStateException.class, () -> bob.receive(ReceiveOptions.drain(), event -> {
            throw new IllegalStateException("handler crashed");
        }));

        List<ReceiveEvent> again = new ArrayList<>();
        ReceiveSummary summary = bob.receive(ReceiveOptions.drain(), again::add);

        assertEquals(List.of("only once"), texts(again));
        assertEquals(0, summary.duplicatesSkipped(), "the envelope was acked before the handler ran");
        assertEquals(1, summary.shown());
        assertEquals(List.of(), receiveAll(bob));
    }

    /** Stopped after the commit, before the ack: the server sends it again, and it is skipped but still shown once. */
    @Test
    void receive_stoppedBetweenCommitAndAck_redeliveryIsSkippedAndMessageShownOnce() {
        alice.send(bobHandle, "only once");
        ReceiveObserver crashAfterCommit = new ReceiveObserver() {
            @Override
            public void stored(String guid) {
                throw new IllegalStateException("crashed before the ack");
            }
        };
        List<ReceiveEvent> first = new ArrayList<>();
        assertThrows(IllegalStateException.class,
                () -> bob.receive(ReceiveOptions.drain().withObserver(crashAfterCommit), first::add));

        List<ReceiveEvent> again = new ArrayList<>();
        ReceiveSummary summary = bob.receive(ReceiveOptions.drain(), again::add);

        assertEquals(List.of(), first);
        assertEquals(List.of("only once"), texts(again));
        assertEquals(1, summary.duplicatesSkipped());
        assertEquals(0, summary.failures());
        // Acked this time: a third connection gets nothing.
        assertEquals(0, bob.receive(ReceiveOptions.drain(), again::add).duplicatesSkipped());
        assertEquals(1, texts(again).size());
    }

    @Test
    void receive_garbageCiphertext_isReportedAckedAndDoesNotJamTheQueue() {
        LookupResult target = alice.lookup(List.of(bobHandle)).getFirst();
        apiOf(users.homes().resolve("alice")).send(target.accountId(), new SendMessageRequest(System.currentTimeMillis(),
                List.of(new OutgoingMessage(1, target.devices().getFirst().registrationId(), MessageType.SIGNAL,
                        new byte[] {1, 2, 3})), List.of()));
        alice.send(bobHandle, "still works");

        List<ReceiveEvent> all = receiveAll(bob);
        // An invalid message also resets the session with Alice's device (session repair): one notice.
        assertEquals(1, all.stream().filter(org.parley.client.SessionResetNotice.class::isInstance).count());
        List<ReceiveEvent> events = all.stream()
                .filter(e -> !(e instanceof org.parley.client.SessionResetNotice)).toList();

        assertEquals(2, events.size());
        UndecryptableMessage bad = assertInstanceOf(UndecryptableMessage.class, events.get(0));
        assertEquals(aliceHandle, bad.senderHandle());
        assertEquals("still works", assertInstanceOf(ReceivedMessage.class, events.get(1)).text());
        assertEquals(List.of(), receiveAll(bob));
    }

    @Test
    void send_withSessionForVanishedOwnDevice_recoversFrom409() throws Exception {
        // Pretend we once had a second device: copy the session with bob to our own account, device 2.
        alice.send(bobHandle, "first");
        String aliceId = alice.account().orElseThrow().accountId();
        String bobId = bob.account().orElseThrow().accountId();
        alice.close();
        try (LocalState state = LocalState.open(users.homes().resolve("alice"))) {
            state.protocolStore().storeSession(new SignalProtocolAddress(aliceId, 2),
                    state.protocolStore().loadSession(SessionCrypto.address(bobId, 1)));
        }
        alice = ParleyClient.open(users.homes().resolve("alice"));

        SendResult.Delivered delivered = (SendResult.Delivered) alice.send(bobHandle, "second");

        assertEquals(0, delivered.syncCount());
        try (LocalState state = LocalState.open(users.homes().resolve("alice"))) {
            assertEquals(List.of(), state.protocolStore().deviceIdsWithSession(aliceId));
        }
        assertEquals(List.of("first", "second"), texts(receiveAll(bob)));
    }

    @Test
    void send_afterRecipientReinstalled_rebuildsSessionAndReportsIdentityChange() {
        alice.send(bobHandle, "before");
        receiveAll(bob);
        bob.close();
        bob = users.server().register(users.homes().resolve("bob-reinstalled"), bobHandle);

        SendResult.Delivered delivered = (SendResult.Delivered) alice.send(bobHandle, "after");

        assertEquals(1, delivered.identityChanges().size());
        IdentityChangeNotice change = delivered.identityChanges().getFirst();
        assertEquals(bobHandle, change.handle());
        assertEquals(1, change.deviceId());
        assertEquals(List.of("after"), texts(receiveAll(bob)));
    }

    @Test
    void receive_reinstalledSender_reportsIdentityChangeBeforeMessage() {
        alice.send(bobHandle, "before");
        receiveAll(bob);
        alice.close();
        alice = users.server().register(users.homes().resolve("alice-reinstalled"), aliceHandle);

        alice.send(bobHandle, "after");
        List<ReceiveEvent> events = receiveAll(bob);

        assertEquals(2, events.size());
        assertEquals(aliceHandle, assertInstanceOf(IdentityChangeNotice.class, events.get(0)).handle());
        assertEquals("after", assertInstanceOf(ReceivedMessage.class, events.get(1)).text());
    }

    @Test
    void safetyNumbers_computedOnBothSides_match() {
        SafetyNumberReport atAlice = alice.safetyNumbers(bobHandle);
        SafetyNumberReport atBob = bob.safetyNumbers(aliceHandle);

        assertEquals(1, atAlice.devices().size());
        assertEquals(atAlice.devices().getFirst().safetyNumber(), atBob.devices().getFirst().safetyNumber());
        assertFalse(alice.safetyNumbers(UserTestServer.freshHandle("nobody")).onParley());
    }

    @Test
    void safetyNumbers_thenSend_reuseTheSessionTheyBuilt() {
        alice.safetyNumbers(bobHandle);

        alice.send(bobHandle, "after comparing");

        assertEquals(List.of("after comparing"), texts(receiveAll(bob)));
    }

    @Test
    void receive_afterPreKeysRunLow_refillsThem() {
        String bobId = bob.account().orElseThrow().accountId();
        OneTimeKeyDrain.drain(users.server(), users.homes(), bobId, 1, 85);

        ReceiveSummary summary = bob.receive(ReceiveOptions.drain(), e -> { });

        assertEquals(15, summary.refill().preKeysBefore());
        assertEquals(85, summary.refill().preKeysUploaded());
        assertEquals(85, summary.refill().pqPreKeysUploaded());
        assertEquals(100, bob.refillPreKeys().preKeysBefore());
    }

    @Test
    void receive_secondConnectionOfSameDevice_stopsFirstAsConnectedElsewhere() throws Exception {
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
                ParleyClient bobAgain = ParleyClient.open(users.homes().resolve("bob"))) {
            List<ReceiveEvent> ignored = new CopyOnWriteArrayList<>();
            // Earlier tests' connections end asynchronously; start from none, then see the first open.
            Eventually.eventually(() -> openDeliveryConnections() == 0, Duration.ofSeconds(10), "earlier connections ended");
            Future<ReceiveSummary> first = executor.submit(() -> bob.receive(ReceiveOptions.follow().withTimeout(Duration.ofSeconds(30)), ignored::add));
            Eventually.eventually(() -> openDeliveryConnections() == 1, Duration.ofSeconds(10), "the first connection is open");

            bobAgain.receive(ReceiveOptions.drain(), ignored::add);

            assertEquals(ReceiveSummary.StopReason.CONNECTED_ELSEWHERE, first.get(10, TimeUnit.SECONDS).stopReason());
        }
    }

    @Test
    void verify_wrongCode_isRefusedAndKeepsPendingRegistration() {
        String carol = UserTestServer.freshHandle("carol");
        try (ParleyClient client = ParleyClient.open(users.homes().resolve("carol"))) {
            client.startRegistration(users.server().url(), carol);

            String code = users.server().codeFor(carol);
            String wrong = code.substring(0, 5) + (code.charAt(5) == '0' ? '1' : '0');

            ParleyApiException e = assertThrows(ParleyApiException.class, () -> client.verify(wrong));

            assertEquals(403, e.status());
            assertEquals("invalid_code", e.error());
            assertTrue(client.account().orElseThrow().pendingVerification());
            client.verify(code);
            assertTrue(client.account().orElseThrow().registered());
        }
    }

    private static ParleyApi apiOf(Path home) {
        return new ParleyApi(URI.create(users.server().url()), HTTP, Duration.ofSeconds(10), credentialsOf(home));
    }

    private static DeviceCredentials credentialsOf(Path home) {
        try (LocalState state = LocalState.open(home)) {
            var account = state.accounts().load().orElseThrow();
            return new DeviceCredentials(account.accountId(), account.deviceId(), account.password());
        }
    }

    /** The server's own count of open delivery WebSockets (the parley.delivery.connections gauge). */
    private static long openDeliveryConnections() {
        try {
            String metrics = HTTP.send(java.net.http.HttpRequest.newBuilder(URI.create(users.server().url() + "/metrics")).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString()).body();
            return metrics.lines().filter(l -> l.startsWith("parley_delivery_connections "))
                    .mapToLong(l -> (long) Double.parseDouble(l.substring(l.indexOf(' ') + 1))).findFirst().orElse(-1);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
