// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.bench.jmh;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Encrypt plus decrypt of one 200-byte message, the client against raw libsignal (issue target: the
 * client costs at most 1.2 times raw libsignal):
 * <ul>
 *   <li>{@code rawLibsignal}: {@link RawPair}, libsignal's {@code SessionCipher} on its in-memory store;</li>
 *   <li>{@code client}: {@link ClientPair}, the client's {@code SessionCrypto} on its SQLite store
 *       ({@code state.db}, {@code synchronous=FULL}, in a temporary directory): encrypt in one state
 *       transaction as the client's sender does, decrypt in one as its receiver does;</li>
 *   <li>{@code clientSynchronousNormal}: a what-if, the same with the client's connections switched to
 *       {@code synchronous=NORMAL}, to show how much of the difference is fsync.</li>
 *   <li>{@code clientReceiveBurst}: each message encrypted in its own durable commit, the receiver storing
 *       32 that arrived together in one durable commit, as its receive loop does (per message);</li>
 *   <li>{@code clientReceiveBurstSynchronousNormal}: the same what-if at {@code synchronous=NORMAL}.</li>
 * </ul>
 * {@code direction}: {@code one-way} sends every message from Alice to Bob (symmetric ratchet only);
 * {@code alternating} flips the sender on every message, so each message also takes a DH ratchet step,
 * as in a conversation. One operation is one message, both ends' work.
 *
 * <pre>{@code
 * bench/jmh ClientCryptoBenchmark -f 1 -wi 3 -w 2s -i 5 -r 2s
 * }</pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class ClientCryptoBenchmark {
    static final int MESSAGE_BYTES = 200;

    @Param({"one-way", "alternating"})
    String direction;

    private Path dir;
    private ClientPair client;
    private ClientPair clientNormal;
    private RawPair raw;
    private byte[] plaintext;
    private boolean fromAlice = true;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        dir = Files.createTempDirectory("parley-jmh-client-");
        try {
            client = new ClientPair(dir.resolve("full"), "FULL");
            clientNormal = new ClientPair(dir.resolve("normal"), "NORMAL");
            raw = new RawPair();
        } catch (Exception | Error e) {
            tearDown(); // JMH skips the teardown of a failed setup; leave no directory behind
            throw e;
        }
        plaintext = new byte[MESSAGE_BYTES];
        new SplittableRandom(1).nextBytes(plaintext);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        for (ClientPair pair : new ClientPair[] {client, clientNormal}) {
            if (pair != null) {
                pair.close();
            }
        }
        ServerFixture.deleteTree(dir);
    }

    private boolean nextSender() {
        boolean sender = fromAlice;
        if (direction.equals("alternating")) {
            fromAlice = !fromAlice;
        }
        return sender;
    }

    @Benchmark
    public byte[] rawLibsignal() throws Exception {
        return raw.deliver(nextSender(), plaintext);
    }

    @Benchmark
    public byte[] client() {
        return client.deliver(nextSender(), plaintext);
    }

    @Benchmark
    public byte[] clientSynchronousNormal() {
        return clientNormal.deliver(nextSender(), plaintext);
    }

    /** Messages per burst in {@link #clientReceiveBurst}. */
    static final int BURST = 32;

    /**
     * The client as it runs since issue 11: each message encrypted in its own durable commit (the sender
     * must not send before its ratchet step is on disk), the receiver storing a burst of {@link #BURST}
     * that arrived together in one durable commit. The score is per message.
     */
    @Benchmark
    @OperationsPerInvocation(BURST)
    public byte[] clientReceiveBurst() {
        return client.deliverBurst(nextSender(), plaintext, BURST);
    }

    /** What-if: {@link #clientReceiveBurst} with both homes at {@code synchronous=NORMAL} (not what the client ships). */
    @Benchmark
    @OperationsPerInvocation(BURST)
    public byte[] clientReceiveBurstSynchronousNormal() {
        return clientNormal.deliverBurst(nextSender(), plaintext, BURST);
    }
}
