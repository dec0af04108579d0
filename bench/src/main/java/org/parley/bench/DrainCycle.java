// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * One store-then-drain cycle of {@code offline-drain}: queue messages for offline recipients, then
 * connect them all and wait until each has acked everything queued for it, then reconnect to check
 * that the server deleted every acked envelope.
 */
final class DrainCycle {
    record Result(Map<String, Object> store, Map<String, Object> drain) {}

    private final BenchTarget target;
    private final List<RelayEngine.Flow> flows;
    private final int window;
    private final boolean decrypt;
    private final Duration drainTimeout;
    private final Optional<ServerProcess> server;
    private final Map<String, LongAdder> errors = new ConcurrentHashMap<>();
    private final Transport transport;
    private final FrameFormat frames;

    DrainCycle(BenchTarget target, List<RelayEngine.Flow> flows, int window, boolean decrypt, Duration drainTimeout,
               Optional<ServerProcess> server, Transport transport, FrameFormat frames) {
        this.transport = transport;
        this.frames = frames;
        this.target = target;
        this.flows = flows;
        this.window = window;
        this.decrypt = decrypt;
        this.drainTimeout = drainTimeout;
        this.server = server;
    }

    Result run(int messages) {
        errors.clear();
        long[] answered = new long[flows.size()];
        Map<String, Object> store = store(messages, answered);
        Map<String, Object> drain = drain(answered);
        return new Result(store, drain);
    }

    private Map<String, Object> store(int messages, long[] answered) {
        Recorder putLatency = new Recorder(3);
        LongAdder[] ok = new LongAdder[flows.size()];
        List<Thread> senders = new ArrayList<>();
        long start;
        long end;
        Map<String, Object> resources;
        Map<SimDevice, Receiver> sockets = senderSockets();
        try (ResourceMonitor monitor = new ResourceMonitor(server)) {
            monitor.markStart();
            start = System.nanoTime();
            for (RelayEngine.Flow f : flows) {
                int n = messages / flows.size() + (f.index() < messages % flows.size() ? 1 : 0);
                ok[f.index()] = new LongAdder();
                senders.add(Thread.ofVirtual().start(() -> storeLoop(f, n, ok[f.index()], putLatency, sockets)));
            }
            joinAll(senders);
            end = System.nanoTime();
            monitor.markEnd();
            long total = 0;
            for (int i = 0; i < ok.length; i++) {
                answered[i] = ok[i].sum();
                total += answered[i];
            }
            resources = monitor.report(total);
        } finally {
            sockets.values().forEach(r -> r.close().join());
        }
        long total = 0;
        for (long a : answered) {
            total += a;
        }
        double seconds = (end - start) / 1e9;
        Map<String, Object> m = OfflineDrainCommand.map(
                "messages", messages,
                "answered_200", total,
                "seconds", ResourceMonitor.round(seconds, 2),
                "stored_per_second", ResourceMonitor.round(total / seconds, 1),
                "send_latency", Latency.of(putLatency.getIntervalHistogram()).toMap());
        m.putAll(errorFigures());
        m.put("resources", resources);
        return m;
    }

    /** {@code window} connections of the flow send until {@code n} sends were started. */
    /**
     * With {@link Transport#WS}, the senders' delivery WebSockets, to send on (their own queues are empty:
     * nobody writes to them); none with HTTP.
     */
    private Map<SimDevice, Receiver> senderSockets() {
        Map<SimDevice, Receiver> sockets = new java.util.IdentityHashMap<>();
        if (transport != Transport.WS) {
            return sockets;
        }
        Receiver.Handler quiet = new Receiver.Handler() {
            @Override
            public void envelope(Receiver receiver, String guid, long nanos) {}

            @Override
            public void acked(Receiver receiver, String guid, long nanos) {}

            @Override
            public void failed(Receiver receiver, String what) {
                error("sender socket " + what);
            }
        };
        for (RelayEngine.Flow f : flows) {
            if (!sockets.containsKey(f.from())) {
                try {
                    sockets.put(f.from(), Receiver.connect(target, f.from(), false, quiet, Duration.ofSeconds(30), frames).join());
                } catch (RuntimeException e) {
                    sockets.values().forEach(r -> r.close().join());
                    throw new BenchException("cannot open the senders' WebSockets: " + e.getMessage(), e);
                }
            }
        }
        return sockets;
    }

    private void storeLoop(RelayEngine.Flow f, int n, LongAdder ok, Recorder latency, Map<SimDevice, Receiver> sockets) {
        AtomicLong remaining = new AtomicLong(n);
        List<Thread> workers = new ArrayList<>();
        for (int w = 0; w < window; w++) {
            workers.add(Thread.ofVirtual().start(() -> {
                try (SendPath path = SendPath.open(transport, target, sockets, f.from())) {
                    while (remaining.getAndDecrement() > 0) {
                        long sent = System.nanoTime();
                        try {
                            SendPath.Answer response = RelayEngine.sendRetryingWhenBusy(path, f, null);
                            if (response.status() != 200) {
                                error("send status " + response.status());
                            } else {
                                ok.increment();
                                latency.recordValue((System.nanoTime() - sent) / 1000);
                            }
                        } catch (java.io.IOException e) {
                            error("send " + e.getClass().getSimpleName());
                        }
                    }
                }
            }));
        }
        joinAll(workers);
    }

    private Map<String, Object> drain(long[] expected) {
        List<QueueDrain> queues = new ArrayList<>();
        CountDownLatch done = new CountDownLatch(flows.size());
        List<CompletableFuture<Receiver>> connecting = new ArrayList<>();
        long total = 0;
        Map<String, Object> resources;
        long start;
        boolean complete;
        try (ResourceMonitor monitor = new ResourceMonitor(server)) {
            monitor.markStart();
            start = System.nanoTime();
            for (RelayEngine.Flow f : flows) {
                QueueDrain q = new QueueDrain(expected[f.index()], start, done);
                queues.add(q);
                total += expected[f.index()];
                connecting.add(Receiver.connect(target, f.to(), decrypt, q, Duration.ofSeconds(30), frames)
                        .whenComplete((r, e) -> {
                            if (e != null) {
                                error("connect " + RelayEngine.rootCause(e).getClass().getSimpleName());
                            }
                        }));
            }
            complete = await(done, drainTimeout);
            monitor.markEnd();
            resources = monitor.report(total);
        }
        Histogram perQueue = new Histogram(3);
        long last = start;
        long lastAck = start;
        for (QueueDrain q : queues) {
            if (q.doneNanos > 0) {
                perQueue.recordValue((q.doneNanos - start) / 1000);
                last = Math.max(last, q.doneNanos);
                lastAck = Math.max(lastAck, q.lastAckNanos);
            }
        }
        List<Receiver> opened = closeAll(connecting);
        long delivered = queues.stream().mapToLong(q -> q.envelopes.sum()).sum();
        double seconds = (last - start) / 1e9;
        Map<String, Object> m = OfflineDrainCommand.map(
                "complete", complete,
                "queues", queues.size(),
                "messages_expected", total,
                "delivered", delivered,
                "acked", queues.stream().mapToLong(q -> q.acked.get()).sum(),
                "seconds_until_last_queue_empty", ResourceMonitor.round(seconds, 2),
                "seconds_until_last_ack_written", ResourceMonitor.round((lastAck - start) / 1e9, 2),
                "drained_per_second", seconds > 0 ? ResourceMonitor.round(total / seconds, 1) : 0.0,
                "time_until_queue_empty", Latency.of(perQueue).toMap(),
                "residual_after_drain", residual(opened));
        m.putAll(errorFigures());
        m.put("resources", resources);
        return m;
    }

    /** Reconnects each recipient and counts envelopes before {@code queue-empty}: what the server still holds. */
    private long residual(List<Receiver> previous) {
        for (Receiver r : previous) {
            r.close().join();
        }
        LongAdder left = new LongAdder();
        CountDownLatch empty = new CountDownLatch(previous.size());
        List<CompletableFuture<Receiver>> connecting = new ArrayList<>();
        for (Receiver r : previous) {
            connecting.add(Receiver.connect(target, r.device(), false, new Receiver.Handler() {
                @Override
                public void envelope(Receiver receiver, String guid, long nanos) {
                    left.increment();
                }

                @Override
                public void acked(Receiver receiver, String guid, long nanos) {}

                @Override
                public void queueEmpty(Receiver receiver, long nanos) {
                    empty.countDown();
                }
            }, Duration.ofSeconds(30)));
        }
        boolean all = await(empty, Duration.ofSeconds(30));
        closeAll(connecting);
        return all ? left.sum() : -1;
    }

    private static List<Receiver> closeAll(List<CompletableFuture<Receiver>> connecting) {
        List<Receiver> opened = new ArrayList<>();
        for (CompletableFuture<Receiver> c : connecting) {
            Receiver r = c.getNow(null);
            if (r != null && !c.isCompletedExceptionally()) {
                r.close();
                opened.add(r);
            }
        }
        return opened;
    }

    private Map<String, Object> errorFigures() {
        Map<String, Long> kinds = new TreeMap<>();
        errors.forEach((k, v) -> kinds.put(k, v.sum()));
        errors.clear();
        return OfflineDrainCommand.map("errors", kinds.values().stream().mapToLong(Long::longValue).sum(),
                "error_kinds", kinds.toString());
    }

    private void error(String what) {
        errors.computeIfAbsent(what, k -> new LongAdder()).increment();
    }

    private static boolean await(CountDownLatch latch, Duration timeout) {
        try {
            return latch.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static void joinAll(List<Thread> threads) {
        try {
            for (Thread t : threads) {
                t.join();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BenchException("interrupted", e);
        }
    }

    /** One recipient's queue: done when it has acked as many envelopes as were answered 200 for it. */
    private final class QueueDrain implements Receiver.Handler {
        private final long expected;
        private final CountDownLatch done;
        private final LongAdder envelopes = new LongAdder();
        private final AtomicLong acked = new AtomicLong();
        private volatile long doneNanos;
        private volatile long lastAckNanos;

        QueueDrain(long expected, long start, CountDownLatch done) {
            this.expected = expected;
            this.done = done;
            if (expected == 0) {
                doneNanos = start;
                done.countDown();
            }
        }

        @Override
        public void envelope(Receiver receiver, String guid, long nanos) {
            envelopes.increment();
        }

        /**
         * After the last ack the device disconnects politely. The server answers the close frame only
         * after it has handled (deleted) every ack before it, so the close answer marks the moment the
         * queue is empty on the server, not merely acked by the client.
         */
        @Override
        public void acked(Receiver receiver, String guid, long nanos) {
            if (acked.incrementAndGet() == expected) {
                lastAckNanos = nanos;
                // The server may still be working through a backlog of acks: wait as long as the drain may take.
                receiver.close(drainTimeout).thenRun(() -> {
                    doneNanos = System.nanoTime();
                    done.countDown();
                });
            }
        }

        @Override
        public void failed(Receiver receiver, String what) {
            error("receiver " + what);
        }
    }
}
