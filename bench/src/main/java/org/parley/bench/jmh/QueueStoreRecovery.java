// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.bench.jmh;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.parley.server.config.ConfigLoader;
import org.parley.server.config.ServerConfig;
import org.parley.server.feature.ServerContext;
import org.parley.server.http.ClientAddresses;
import org.parley.server.messages.MessagesFeature;
import org.parley.server.storage.Database;
import org.parley.server.storage.PurgeScheduler;

/**
 * Recovery after {@code kill -9} of the two queue-store candidates of {@link QueueStoreCandidateBenchmark}.
 * A child JVM appends 200-byte envelopes from 8 threads (one device each, every append durable) and
 * prints each acknowledged append; after {@code seconds} the parent kills it with SIGKILL, then times
 * opening the store again and counting each device's queue (after warming the JVM on a scratch store),
 * and checks that every acknowledged append
 * is there ({@code lost} must be 0).
 *
 * <pre>{@code
 * java -cp "$(ls bench/target/parley-bench-*.jar | head -1):$(cat bench/target/jmh.classpath)" \
 *     -Djava.library.path=cli/target/native org.parley.bench.jmh.QueueStoreRecovery sqlite 10 /tmp/dir
 * }</pre>
 * (the third argument is a directory that must not exist yet).
 */
public final class QueueStoreRecovery {
    private static final int THREADS = 8;

    private QueueStoreRecovery() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 4 && args[0].equals("child")) {
            child(args[1], Path.of(args[2]), args[3].split(","));
            return;
        }
        if (args.length != 3) {
            System.err.println("usage: QueueStoreRecovery sqlite|rocksdb SECONDS NEW_DIRECTORY");
            System.exit(2);
        }
        String store = args[0];
        int seconds = Integer.parseInt(args[1]);
        Path dir = Path.of(args[2]);
        Files.createDirectories(dir);
        List<String> devices = new ArrayList<>();
        for (int i = 0; i < THREADS; i++) {
            devices.add(UUID.randomUUID().toString());
        }
        String javaBin = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(javaBin));
        command.addAll(java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments());
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), QueueStoreRecovery.class.getName(),
                "child", store, dir.toString(), String.join(",", devices)));
        Process child = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        Map<String, Long> acked = new HashMap<>();
        Thread reader = Thread.ofPlatform().start(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.US_ASCII))) {
                for (String line; (line = in.readLine()) != null; ) {
                    if (line.startsWith("A ")) {
                        synchronized (acked) {
                            acked.merge(line.substring(2), 1L, Long::sum);
                        }
                    }
                }
            } catch (java.io.IOException ignored) {
                // the child is gone
            }
        });
        Thread.sleep(seconds * 1000L);
        child.destroyForcibly(); // SIGKILL on Linux
        child.waitFor();
        reader.join();
        long ackedTotal = acked.values().stream().mapToLong(Long::longValue).sum();

        // Load the classes and the native library first, on a scratch store: the time below is the store's.
        Path scratch = Files.createTempDirectory("parley-recovery-warm-");
        try (Counter warm = counter(store, scratch)) {
            warm.count(devices.getFirst());
        }
        ServerFixture.deleteTree(scratch);

        long start = System.nanoTime();
        long found = 0;
        long lost = 0;
        try (Counter counter = counter(store, dir)) {
            for (String device : devices) {
                long n = counter.count(device);
                found += n;
                lost += Math.max(0, acked.getOrDefault(device, 0L) - n);
            }
        }
        double ms = (System.nanoTime() - start) / 1e6;
        long bytes;
        try (var files = Files.walk(dir)) {
            bytes = files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
        System.out.printf("store=%s acked=%d found=%d lost=%d recovery_ms=%.1f (open, replay, count) files=%.1f MB%n",
                store, ackedTotal, found, lost, ms, bytes / 1e6);
        ServerFixture.deleteTree(dir);
    }

    private interface Counter extends AutoCloseable {
        long count(String accountId);

        @Override
        void close();
    }

    private static Counter counter(String store, Path dir) {
        if (store.equals("rocksdb")) {
            RocksQueue q = RocksQueue.open(dir);
            return new Counter() {
                public long count(String accountId) {
                    return q.count(accountId, 1);
                }

                public void close() {
                    q.close();
                }
            };
        }
        Opened o = openSqlite(dir);
        var s = MessagesFeature.store(o.ctx());
        return new Counter() {
            public long count(String accountId) {
                return s.countByDevice(accountId).getOrDefault(1, 0L);
            }

            public void close() {
                o.database().close();
            }
        };
    }

    private record Opened(Database database, ServerContext ctx) {}

    /** The server's database in {@code dir}, as {@link ServerFixture} opens one, but kept on close. */
    private static Opened openSqlite(Path dir) {
        ServerConfig config = ConfigLoader.defaultsOnly().withHttp(null, 0, dir);
        Database database = Database.openSqlite(dir.resolve("parley.db"), "FULL");
        database.migrate(ServerFixture.SCHEMA);
        Clock clock = Clock.systemUTC();
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        return new Opened(database, new ServerContext(config, database, clock, new SecureRandom(), meters,
                new ClientAddresses(config.http().trustedProxies()), new PurgeScheduler(clock, meters)));
    }

    private static void child(String store, Path dir, String[] devices) throws Exception {
        QueueStoreCandidateBenchmark.Queue queue;
        if (store.equals("rocksdb")) {
            queue = QueueStoreCandidateBenchmark.rocks(RocksQueue.open(dir));
        } else {
            Opened o = openSqlite(dir);
            queue = QueueStoreCandidateBenchmark.sqlite(MessagesFeature.store(o.ctx()), () -> o.database().close());
        }
        PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), true,
                StandardCharsets.US_ASCII);
        byte[] content = new byte[QueueStoreCandidateBenchmark.CONTENT_BYTES];
        new SecureRandom().nextBytes(content);
        List<Thread> threads = new ArrayList<>();
        for (String device : devices) {
            threads.add(Thread.ofPlatform().start(() -> {
                String source = UUID.randomUUID().toString();
                while (true) {
                    queue.insert(List.of(QueueStoreCandidateBenchmark.envelope(device, source, content)));
                    synchronized (out) {
                        out.println("A " + device); // only after the durable append returned
                    }
                }
            }));
        }
        for (Thread t : threads) {
            t.join();
        }
    }
}
