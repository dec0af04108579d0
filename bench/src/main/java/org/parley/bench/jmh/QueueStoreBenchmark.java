// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.bench.jmh;

import java.util.List;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.parley.protocol.MessageType;
import org.parley.server.config.LookupLogMode;
import org.parley.server.messages.MessageStore;
import org.parley.server.messages.MessagesFeature;
import org.parley.server.messages.QueuedMessage;

/**
 * The durable device queues ({@link MessageStore} from {@link MessagesFeature#store}) on a real SQLite
 * file in a temporary directory, in WAL mode with {@code synchronous} FULL (the default: a 200 survives
 * a power cut) or NORMAL (survives {@code kill -9} only):
 * <ul>
 *   <li>{@code insert}: queue one 200-byte envelope and wait for its commit, as a send does;</li>
 *   <li>{@code insertAndAck}: queue one and delete it by guid, as a send and its ack do (two commits);</li>
 *   <li>{@code ...Contended}: the same from 8 threads at once, each its own destination device. This is
 *       what the database's group commit is for: concurrent writers share one fsync.</li>
 * </ul>
 * Scores are operations per second over all threads. Each thread queues to its own device and the
 * queue keeps every row {@code insert} adds, as an offline recipient's queue would.
 *
 * <pre>{@code
 * bench/jmh QueueStoreBenchmark -f 1 -wi 3 -w 2s -i 5 -r 2s
 * }</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class QueueStoreBenchmark {
    private static final int CONTENT_BYTES = 200;
    private static final long TTL_MILLIS = TimeUnit.DAYS.toMillis(30);

    @Param({"FULL", "NORMAL"})
    String synchronous;

    private ServerFixture fixture;
    private MessageStore store;

    @Setup(Level.Trial)
    public void setUp() {
        fixture = ServerFixture.open(synchronous, LookupLogMode.FULL);
        store = MessagesFeature.store(fixture.ctx());
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        fixture.close();
    }

    /** One sending thread: its destination device and the envelopes it queues there. */
    @State(Scope.Thread)
    public static class Device {
        final String accountId = UUID.randomUUID().toString();
        final String sourceAccountId = UUID.randomUUID().toString();
        final byte[] content = new byte[CONTENT_BYTES];

        @Setup(Level.Trial)
        public void setUp() {
            new SplittableRandom().nextBytes(content);
        }

        /** A new envelope with a random guid, as the server assigns one to each message. */
        QueuedMessage next() {
            long now = System.currentTimeMillis();
            return new QueuedMessage(0, accountId, 1, UUID.randomUUID().toString(), sourceAccountId, 1,
                    MessageType.SIGNAL, content, now, now, now + TTL_MILLIS);
        }
    }

    @Benchmark
    public List<QueuedMessage> insert(Device device) {
        return store.insert(List.of(device.next()));
    }

    @Benchmark
    @Threads(8)
    public List<QueuedMessage> insertContended(Device device) {
        return insert(device);
    }

    @Benchmark
    public boolean insertAndAck(Device device) {
        QueuedMessage m = store.insert(List.of(device.next())).getFirst();
        return store.delete(m.accountId(), m.deviceId(), m.guid());
    }

    @Benchmark
    @Threads(8)
    public boolean insertAndAckContended(Device device) {
        return insertAndAck(device);
    }
}
