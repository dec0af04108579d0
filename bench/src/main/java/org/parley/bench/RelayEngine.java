// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Drives the {@code relay} traffic: every pair sends both ways while both devices are online. Each
 * direction (a flow) keeps at most {@code window} messages between "send started" and "ack written by
 * the receiver", with {@code window} sender threads; they send as {@code send} frames over the sending
 * device's delivery WebSocket ({@link Transport#WS}, the default) or each on its own keep-alive HTTP/1.1
 * connection ({@link RawHttp}, {@link Transport#HTTP}); in paced mode they also wait for each message's
 * scheduled time. Receipts come on one delivery WebSocket per device. Sessions, ciphertext pools and WebSockets are set up once and reused by every
 * {@link #run}, so a sweep over rates registers devices only once.
 */
final class RelayEngine implements AutoCloseable {
    /** One run: warm-up then measurement; {@code ratePerPair} 0 means as fast as the window allows. */
    record Spec(Duration warmup, Duration duration, double ratePerPair, int window, Duration drainTimeout,
                long maxMessages) {}

    /** One direction of a pair; {@code head} is its {@code PUT /v1/messages/{to}} request head. */
    record Flow(int index, SimDevice from, SimDevice to, Payloads payloads, byte[] head) {
        static Flow of(int index, SimDevice from, SimDevice to, Payloads payloads) {
            return new Flow(index, from, to, payloads,
                    RawHttp.head("PUT", "/v1/messages/" + to.accountId(), from.authorization(), true));
        }
    }

    private final BenchTarget target;
    private final CryptoMode crypto;
    private final List<Flow> flows = new ArrayList<>();
    private final Map<SimDevice, Flow> inbound = new IdentityHashMap<>();
    private final List<Receiver> receivers = new ArrayList<>();
    private final Map<SimDevice, Receiver> sockets = new IdentityHashMap<>();
    private final Transport transport;
    private volatile RelayRun current;
    /** The access keys and certificates of a sealed run; null when identified. */
    private SealedSetup sealed;

    private RelayEngine(BenchTarget target, CryptoMode crypto, Transport transport) {
        this.target = target;
        this.crypto = crypto;
        this.transport = transport;
    }

    /**
     * Sets up sessions between the pairs (devices 0-1, 2-3, …), the ciphertext pools in precomputed mode,
     * and the delivery WebSockets.
     */
    static RelayEngine prepare(BenchTarget target, List<SimDevice> devices, CryptoMode crypto, int size,
                               Transport transport, FrameFormat frames) {
        return prepare(target, devices, crypto, size, transport, frames, false);
    }

    /**
     * As above; {@code sealed}: every flow sends with sealed sender (precomputed crypto only). A sealed send
     * must not name its sender, so it never rides the sender's authenticated WebSocket: sealed runs use HTTP.
     */
    static RelayEngine prepare(BenchTarget target, List<SimDevice> devices, CryptoMode crypto, int size,
                               Transport transport, FrameFormat frames, boolean sealed) {
        RelayEngine engine = new RelayEngine(target, crypto, sealed ? Transport.HTTP : transport);
        PairSessions.establishAll(target, devices);
        if (sealed) {
            engine.sealed = SealedSetup.prepare(target, devices);
        }
        int directions = devices.size();
        // Enough distinct ciphertexts per flow to look like traffic, bounded to about 64 MiB in all.
        int pool = (int) Math.max(8, Math.min(256, (64L << 20) / Math.max(1, (long) directions * (size + 300))));
        for (int i = 0; i + 1 < devices.size(); i += 2) {
            engine.addFlow(devices.get(i), devices.get(i + 1), size, pool);
            engine.addFlow(devices.get(i + 1), devices.get(i), size, pool);
        }
        try {
            List<CompletableFuture<Receiver>> connecting = new ArrayList<>();
            for (SimDevice d : devices) {
                connecting.add(Receiver.connect(target, d, crypto == CryptoMode.REAL, engine.handler(),
                        Duration.ofSeconds(30), frames));
            }
            for (CompletableFuture<Receiver> c : connecting) {
                Receiver r = c.join();
                engine.receivers.add(r);
                engine.sockets.put(r.device(), r);
            }
        } catch (RuntimeException e) {
            engine.close();
            throw new BenchException("cannot open the delivery WebSockets: " + e.getMessage(), e);
        }
        return engine;
    }

    private void addFlow(SimDevice from, SimDevice to, int size, int pool) {
        Flow flow;
        if (sealed != null) {
            Payloads payloads = Payloads.precomputedSealed(from, to, sealed.certificate(from), size, pool);
            flow = new Flow(flows.size(), from, to, payloads,
                    RawHttp.sealedHead("/v1/sealed-messages/" + to.accountId(), sealed.accessKey(to)));
        } else {
            Payloads payloads = crypto == CryptoMode.REAL ? Payloads.real(from, to, size)
                    : Payloads.precomputed(from, to, size, pool);
            flow = Flow.of(flows.size(), from, to, payloads);
        }
        flows.add(flow);
        inbound.put(to, flow);
    }

    /** Routes receiver events to the run in progress (late stragglers of a finished run go to the next). */
    private Receiver.Handler handler() {
        return new Receiver.Handler() {
            @Override
            public void envelope(Receiver r, String guid, long nanos) {
                RelayRun run = current;
                if (run != null) {
                    run.envelope(guid, nanos);
                }
            }

            @Override
            public void acked(Receiver r, String guid, long nanos) {
                RelayRun run = current;
                if (run != null) {
                    run.acked(inbound.get(r.device()).index(), nanos);
                }
            }

            @Override
            public void failed(Receiver r, String what) {
                RelayRun run = current;
                if (run != null) {
                    run.error("receiver " + what);
                }
            }
        };
    }

    int ciphertextBytes() {
        return flows.isEmpty() ? 0 : flows.getFirst().payloads().ciphertextBytes();
    }

    /** Runs warm-up, measurement and drain; samples the server's resources over the measurement. */
    RelayRun run(Spec spec, ResourceMonitor monitor) {
        long start = System.nanoTime();
        RelayRun run = new RelayRun(flows.size(), spec.window(), start + spec.warmup().toNanos(),
                start + spec.warmup().toNanos() + spec.duration().toNanos());
        current = run;
        List<Thread> senders = new ArrayList<>();
        List<AtomicLong> schedules = new ArrayList<>();
        long perFlowCap = Math.max(1, spec.maxMessages() / Math.max(1, flows.size()));
        long interval = spec.ratePerPair() > 0 ? (long) (2e9 / spec.ratePerPair()) : 0;
        for (Flow f : flows) {
            // One blocking HTTP connection per message the window allows in flight, each on its own
            // virtual thread; in paced mode they take the flow's scheduled send times in turn.
            AtomicLong schedule = new AtomicLong(start + (interval > 0 ? ThreadLocalRandom.current().nextLong(interval) : 0));
            schedules.add(schedule);
            AtomicLong count = new AtomicLong();
            for (int w = 0; w < spec.window(); w++) {
                senders.add(Thread.ofVirtual().name("bench-send-" + f.index() + "-" + w)
                        .start(() -> sendLoop(f, run, interval, schedule, count, perFlowCap)));
            }
        }
        sleepUntil(run.measureStart());
        monitor.markStart();
        sleepUntil(run.measureEnd());
        monitor.markEnd();
        try {
            for (Thread t : senders) {
                t.join();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BenchException("interrupted", e);
        }
        if (interval > 0) {
            // Sends the server's slowness kept from ever starting still count, at the least latency they
            // would have had (coordinated omission); without this an overloaded run would report nothing.
            long now = System.nanoTime();
            for (AtomicLong schedule : schedules) {
                for (long t = Math.max(schedule.get(), run.measureStart()); t < run.measureEnd(); t += interval) {
                    run.unsent(now - t);
                }
            }
        }
        run.drain(spec.drainTimeout());
        return run;
    }

    private void sendLoop(Flow f, RelayRun run, long interval, AtomicLong schedule, AtomicLong count, long cap) {
        try (SendPath path = SendPath.open(transport, target, sockets, f.from())) {
            while (true) {
                long intended;
                if (interval > 0) {
                    intended = schedule.getAndAdd(interval);
                    if (intended >= run.measureEnd()) {
                        return;
                    }
                    sleepUntil(intended);
                    if (!run.acquire(f.index(), run.measureEnd())) {
                        if (intended >= run.measureStart()) {
                            run.unsent(System.nanoTime() - intended);
                        }
                        return;
                    }
                } else {
                    if (!run.acquire(f.index(), run.measureEnd())) {
                        return;
                    }
                    intended = System.nanoTime();
                }
                if (intended >= run.measureEnd() || count.incrementAndGet() > cap) {
                    run.release(f.index());
                    return;
                }
                send(path, f, run, intended);
            }
        }
    }

    private static void send(SendPath path, Flow f, RelayRun run, long intended) {
        boolean measured = intended >= run.measureStart();
        run.sending();
        try {
            SendPath.Answer response = sendRetryingWhenBusy(path, f, run);
            if (response.status() != 200) {
                run.failedSend(f.index(), "send status " + response.status());
                return;
            }
            String guid = response.guid();
            if (guid == null) {
                run.failedSend(f.index(), "send 200 without a guid");
            } else {
                run.answered(guid, intended, measured);
            }
        } catch (java.io.IOException e) {
            run.failedSend(f.index(), "send " + e.getClass().getSimpleName());
        }
    }

    /**
     * Sends, and while the server answers 429 (backpressure: the send was not stored) waits the second it
     * asks for and sends again, as a client would; each such answer is counted, not failed.
     */
    static SendPath.Answer sendRetryingWhenBusy(SendPath path, Flow f, RelayRun run) throws java.io.IOException {
        while (true) {
            SendPath.Answer answer = path.send(f);
            if (answer.status() != 429) {
                return answer;
            }
            if (run != null) {
                run.retried429();
            }
            sleepUntil(System.nanoTime() + 1_000_000_000L);
        }
    }

    static Throwable rootCause(Throwable t) {
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t;
    }

    static void sleepUntil(long nanoTime) {
        long wait;
        while ((wait = nanoTime - System.nanoTime()) > 0) {
            LockSupport.parkNanos(wait);
            if (Thread.interrupted()) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Set-up facts for the report. */
    Map<String, Object> setup() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("flows", flows.size());
        m.put("websockets", receivers.size());
        m.put("transport", transport.wire());
        m.put("ciphertext_bytes", ciphertextBytes());
        return m;
    }

    @Override
    public void close() {
        current = null;
        receivers.forEach(Receiver::close);
    }
}
