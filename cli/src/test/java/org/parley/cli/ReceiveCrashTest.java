// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.parley.client.store.HomeLock;

/**
 * Issue 9 items 18 and 19: a receiver process killed at each step of the receive path, and two receivers
 * of one home holding the same envelope at once. Receivers that must stop at a step run in their own JVM
 * ({@link ReceiverProcess}); the others are the real {@code parley receive}.
 */
class ReceiveCrashTest {
    private static final Duration WAIT = Duration.ofSeconds(60);

    @RegisterExtension
    static final CliUsers users = new CliUsers();

    private String alice;
    private String bob;

    @BeforeEach
    void registerTwoUsers() {
        alice = users.register("alice");
        bob = users.register("bob");
    }

    private String sendToBob(String prefix) {
        String text = prefix + " " + UUID.randomUUID();
        CliRun send = CliRun.parley("send", bob, text, "--home", users.home("alice"));
        assertEquals(0, send.exitCode(), send.err());
        return text;
    }

    /**
     * Before: the envelope was marked seen (and acked) before it was printed, so a receive killed in
     * between never showed the message, and the server had deleted it. Now: killed after the history commit
     * (before the ack) or after the ack (before printing), the next receive prints it, once.
     */
    @ParameterizedTest
    @ValueSource(strings = {"stored", "acknowledged"})
    void receive_killedAtStep_nextReceivePrintsMessageExactlyOnce(String step) throws Exception {
        String text = sendToBob("before the crash");
        try (ReceiverProcess receiver = ReceiverProcess.start(users.homes().resolve("bob"), step)) {
            receiver.awaitLine(ReceiverProcess.AT + step, WAIT);
            receiver.kill();
            assertFalse(receiver.output().contains("SHOWN"), receiver.output());
        }

        CliRun next = CliRun.parley("receive", "--home", users.home("bob"));
        CliRun after = CliRun.parley("receive", "--home", users.home("bob"));

        assertEquals(0, next.exitCode(), next.err());
        assertEquals(List.of(alice + ": " + text), next.outLines());
        assertEquals("", next.err());
        assertEquals(0, after.exitCode(), after.err());
        assertEquals(List.of(), after.outLines());
        List<String> history = CliRun.parley("history", "--home", users.home("bob")).outLines();
        assertEquals(1, history.size(), history.toString());
        assertTrue(history.getFirst().endsWith(" " + alice + ": " + text), history.toString());
    }

    /**
     * Two receivers of one home hold the same envelope: the first has committed it and not yet acked or
     * shown it when {@code parley receive} connects (taking the device's connection over) and gets it
     * too. The second waits for the home's lock, then finds it stored and shown: no second copy, and no
     * "could not decrypt" from a second decrypt of a used message key.
     */
    @Test
    void receive_secondReceiverOfHomeWhileFirstMidEnvelope_showsNothingTwiceAndWarnsNothing() throws Exception {
        String text = sendToBob("contended");
        try (ReceiverProcess first = ReceiverProcess.start(users.homes().resolve("bob"), "stored")) {
            first.awaitLine(ReceiverProcess.AT + "stored", WAIT);

            BackgroundCli second = BackgroundCli.start("receive", "--home", users.home("bob"));
            awaitWaitingForHomeLock(second.thread());
            first.release();
            CliRun secondRun = second.await(WAIT);
            first.awaitExit(WAIT);

            assertEquals("SHOWN " + text, first.awaitLine("SHOWN", WAIT));
            assertEquals(1, first.output().split("SHOWN", -1).length - 1, first.output());
            assertEquals(0, secondRun.exitCode(), secondRun.err());
            assertEquals("", secondRun.out());
            assertFalse(secondRun.err().contains("could not decrypt"), secondRun.err());
        }
        assertEquals(1, CliRun.parley("history", "--home", users.home("bob")).outLines().size());
        assertEquals("", CliRun.parley("receive", "--home", users.home("bob")).out());
    }

    /**
     * Polls the thread's stack until it waits in {@link HomeLock#acquire} on its way to store an envelope
     * (it cannot pass while the other process holds the lock).
     */
    private static void awaitWaitingForHomeLock(Thread thread) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!(has(thread, HomeLock.class.getName(), "acquire") && has(thread, "org.parley.client.ReceivePath", "handle"))) {
            if (System.nanoTime() > deadline || !thread.isAlive()) {
                throw new AssertionError("the second receiver never waited for the home's lock");
            }
            Thread.sleep(20);
        }
    }

    private static boolean has(Thread thread, String className, String method) {
        return Arrays.stream(thread.getStackTrace())
                .anyMatch(f -> f.getClassName().equals(className) && f.getMethodName().equals(method));
    }
}
