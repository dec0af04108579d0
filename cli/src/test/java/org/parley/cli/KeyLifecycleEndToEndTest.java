// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.parley.client.ClientOptions;
import org.parley.client.KeyStatus;
import org.parley.client.ParleyClient;
import org.parley.client.ReceiveEvent;
import org.parley.client.ReceiveOptions;
import org.parley.client.ReceivedMessage;
import org.parley.testing.TestClock;

/**
 * Signed and last-resort prekey rotation and the one-time key top-up, with the client library
 * against the real server and real libsignal; Alice's clock is a {@link TestClock}.
 */
class KeyLifecycleEndToEndTest {
    @RegisterExtension
    static final CliUsers users = new CliUsers();

    private final TestClock aliceClock = new TestClock(Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS));
    private String aliceHandle;
    private ParleyClient alice;
    private final List<ParleyClient> others = new ArrayList<>();

    @BeforeEach
    void registerAlice() {
        aliceHandle = UserTestServer.freshHandle("alice");
        alice = ParleyClient.open(users.homes().resolve("alice"), ClientOptions.defaults().withClock(aliceClock));
        alice.startRegistration(users.server().url(), aliceHandle);
        alice.verify(users.server().codeFor(aliceHandle));
    }

    @AfterEach
    void close() {
        alice.close();
        others.forEach(ParleyClient::close);
    }

    private ParleyClient user(String name) {
        ParleyClient c = users.server().register(users.homes().resolve(name), UserTestServer.freshHandle(name));
        others.add(c);
        return c;
    }

    private static List<String> texts(ParleyClient client) {
        List<ReceiveEvent> events = new ArrayList<>();
        client.receive(ReceiveOptions.drain(), events::add);
        return events.stream().filter(ReceivedMessage.class::isInstance).map(e -> ((ReceivedMessage) e).text()).toList();
    }

    @Test
    void signedKeysRotateOnceOlderThanTheInterval_anOldBundleStillWorksInTheGracePeriod_thenItsKeysGo() {
        KeyStatus fresh = alice.keyStatus();
        assertEquals(Duration.ZERO, fresh.signedPreKeyAge());
        assertEquals(0, fresh.replacedKeysKept());
        // Bob fetches Alice's bundle (and starts his session from it) before she rotates.
        ParleyClient bob = user("bob");
        bob.safetyNumbers(aliceHandle);

        // Younger than the interval: a run changes nothing.
        aliceClock.advance(Duration.ofDays(1));
        alice.maintainKeys();
        assertEquals(fresh.signedPreKeyId(), alice.keyStatus().signedPreKeyId());

        // Older: the next run (here a receive) uploads a new pair and keeps the old one.
        aliceClock.advance(Duration.ofDays(2));
        assertEquals(List.of(), texts(alice));
        KeyStatus rotated = alice.keyStatus();
        assertNotEquals(fresh.signedPreKeyId(), rotated.signedPreKeyId());
        assertEquals(Duration.ZERO, rotated.signedPreKeyAge());
        assertEquals(2, rotated.replacedKeysKept(), "the old signed and last-resort keys stay for the grace period");

        // Bob's first message is built on the old bundle; Carol's on the new one. Both decrypt.
        bob.send(aliceHandle, "from the old bundle");
        user("carol").send(aliceHandle, "from the new bundle");
        assertEquals(List.of("from the old bundle", "from the new bundle"), texts(alice));

        // A month later: rotated again, and the first pair (replaced more than 30 days ago) is deleted.
        aliceClock.advance(Duration.ofDays(31));
        alice.maintainKeys();
        KeyStatus later = alice.keyStatus();
        assertNotEquals(rotated.signedPreKeyId(), later.signedPreKeyId());
        assertEquals(2, later.replacedKeysKept(), "only the pair replaced just now is still kept");
        // The sessions already running are unaffected by the deletion.
        bob.send(aliceHandle, "still fine");
        assertEquals(List.of("still fine"), texts(alice));
    }

    @Test
    void aSendTopsUpOneTimeKeysOnceTheServerRunsLow() {
        ParleyClient bob = user("bob");
        String aliceId = alice.account().orElseThrow().accountId();
        OneTimeKeyDrain.drain(users.server(), users.homes(), aliceId, 1, 85);
        assertEquals(15, alice.keyStatus().preKeysOnServer());

        alice.send(bob.account().orElseThrow().handle(), "hello");

        KeyStatus status = alice.keyStatus();
        assertEquals(100, status.preKeysOnServer());
        assertEquals(100, status.pqPreKeysOnServer());
        assertTrue(texts(bob).contains("hello"));
    }
}
