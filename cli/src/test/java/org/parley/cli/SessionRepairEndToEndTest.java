// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.parley.client.ClientOptions;
import org.parley.client.ParleyClient;
import org.parley.client.ReceiveEvent;
import org.parley.client.ReceiveOptions;
import org.parley.client.ReceivedMessage;
import org.parley.client.SessionResetNotice;
import org.parley.client.UndecryptableMessage;
import org.parley.client.crypto.DecryptionException;
import org.parley.client.crypto.SessionCrypto;
import org.parley.client.store.LocalState;
import org.parley.testing.TestClock;

/**
 * Session repair with the client library against the real server and real libsignal: Bob loses his
 * session with Alice, cannot read her next message, resets the session automatically, both see a
 * notice, and her next message decrypts. Bob's clock is a {@link TestClock} for the hourly limit.
 */
class SessionRepairEndToEndTest {
    @RegisterExtension
    static final CliUsers users = new CliUsers();

    private final TestClock bobClock = new TestClock(Instant.now().truncatedTo(ChronoUnit.MILLIS));
    private String aliceHandle;
    private String bobHandle;
    private ParleyClient alice;
    private ParleyClient bob;
    private Path bobHome;

    @BeforeEach
    void registerAndTalk() {
        aliceHandle = UserTestServer.freshHandle("alice");
        bobHandle = UserTestServer.freshHandle("bob");
        alice = users.server().register(users.homes().resolve("alice"), aliceHandle);
        bobHome = users.homes().resolve("bob");
        bob = ParleyClient.open(bobHome, ClientOptions.defaults().withClock(bobClock));
        bob.startRegistration(users.server().url(), bobHandle);
        bob.verify(users.server().codeFor(bobHandle));
        // Both directions once, so Alice's next messages are plain SignalMessages of an established session.
        alice.send(bobHandle, "hello");
        assertEquals(List.of("hello"), texts(receive(bob)));
        bob.send(aliceHandle, "hi");
        assertEquals(List.of("hi"), texts(receive(alice)));
    }

    @AfterEach
    void close() {
        alice.close();
        bob.close();
    }

    private static List<ReceiveEvent> receive(ParleyClient client) {
        List<ReceiveEvent> events = new ArrayList<>();
        client.receive(ReceiveOptions.drain(), events::add);
        return events;
    }

    private static List<String> texts(List<ReceiveEvent> events) {
        return events.stream().filter(ReceivedMessage.class::isInstance).map(e -> ((ReceivedMessage) e).text()).toList();
    }

    private static List<SessionResetNotice> resets(List<ReceiveEvent> events) {
        return events.stream().filter(SessionResetNotice.class::isInstance).map(SessionResetNotice.class::cast).toList();
    }

    /** Bob's home loses its session with Alice's device, as after restoring an old backup. */
    private void bobLosesHisSession() {
        try (LocalState state = LocalState.open(bobHome)) {
            state.protocolStore().deleteSession(SessionCrypto.address(alice.account().orElseThrow().accountId(), 1));
        }
    }

    @Test
    void aMissingSessionIsResetAutomatically_bothSeeANotice_andTheNextMessageDecrypts() {
        bobLosesHisSession();
        alice.send(bobHandle, "lost");

        List<ReceiveEvent> atBob = receive(bob);
        UndecryptableMessage failed = (UndecryptableMessage) atBob.stream()
                .filter(UndecryptableMessage.class::isInstance).findFirst().orElseThrow();
        assertEquals(DecryptionException.Reason.NO_SESSION, failed.reason());
        List<SessionResetNotice> bobsNotice = resets(atBob);
        assertEquals(1, bobsNotice.size());
        assertTrue(bobsNotice.getFirst().byUs());
        assertEquals(aliceHandle, bobsNotice.getFirst().handle());

        List<ReceiveEvent> atAlice = receive(alice);
        assertEquals(List.of(), texts(atAlice), "the reset is not a message");
        List<SessionResetNotice> alicesNotice = resets(atAlice);
        assertEquals(1, alicesNotice.size());
        assertFalse(alicesNotice.getFirst().byUs());
        assertEquals(bobHandle, alicesNotice.getFirst().handle());

        alice.send(bobHandle, "after the reset");
        assertEquals(List.of("after the reset"), texts(receive(bob)));
        bob.send(aliceHandle, "and back");
        assertEquals(List.of("and back"), texts(receive(alice)));
    }

    @Test
    void resetsOfOneDeviceAreLimitedToOnePerHour() {
        bobLosesHisSession();
        alice.send(bobHandle, "lost");
        assertEquals(1, resets(receive(bob)).size());
        receive(alice);

        // Broken again within the hour: reported as undecryptable, but not reset again.
        bobClock.advance(Duration.ofMinutes(30));
        bobLosesHisSession();
        alice.send(bobHandle, "lost again");
        List<ReceiveEvent> second = receive(bob);
        assertEquals(1, second.stream().filter(UndecryptableMessage.class::isInstance).count());
        assertEquals(List.of(), resets(second));
        assertEquals(List.of(), resets(receive(alice)));

        // An hour after the first reset, the next failure resets again.
        bobClock.advance(Duration.ofMinutes(31));
        alice.send(bobHandle, "lost a third time");
        assertEquals(1, resets(receive(bob)).size());
        assertEquals(1, resets(receive(alice)).size());
        alice.send(bobHandle, "repaired");
        assertEquals(List.of("repaired"), texts(receive(bob)));
    }
}
