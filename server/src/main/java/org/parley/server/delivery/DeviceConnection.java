// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.delivery;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.parley.protocol.BinaryFrames;
import org.parley.protocol.Frame;
import org.parley.server.accounts.Accounts;
import org.parley.server.http.AuthenticatedDevice;
import org.parley.server.messages.MessageStore;
import org.parley.server.messages.QueueEntry;
import org.parley.server.messages.QueuedMessage;
import org.parley.server.messages.StoredEnvelope;
import org.parley.server.storage.StorageBusy;

/**
 * One device's WebSocket and the delivery loop that feeds it, on its own virtual thread.
 *
 * <p>The loop sends the queue in order after the last id it sent, keeps at most
 * {@code maxInFlight} envelopes unacknowledged, sends one {@code queue-empty} once the backlog
 * present at connect time is out, and then sleeps until {@link #wake()} (a new envelope), an ack
 * that frees window space, or the end of the connection. Unacked envelopes stay in the store and
 * go out again on the device's next connection.
 *
 * <p>Envelopes committed on this node arrive in memory ({@link #handOff}) with the highest id
 * their queue held before them. The loop sends such an envelope without reading the queue only
 * when it has already sent everything up to that id: then no other envelope can come between, so
 * queue order holds (see {@code StoredEnvelope}). Anything else (a gap, a full window, a signal
 * from another node, the backlog at connect time) makes it read the queue as before, which also
 * holds every handed envelope since they are committed before they are handed.
 *
 * <p>Helidon 4.5 does not call {@code onClose} when a socket dies without a close frame (or when
 * its idle-connection check drops it), so the loop also wakes every {@code keepalive}: it stops when
 * Helidon's connection thread has ended, and otherwise pings, which both detects a dead peer and
 * keeps the connection from looking idle (the client's pong is traffic).
 *
 * <p>On a connection that negotiated batch frames ({@link BinaryFrames#BATCH_QUERY}) every data
 * frame goes through an outbox: the writer queues its frame, takes {@code sendLock} and writes
 * everything queued by then as one WebSocket message (a batch frame, or the frame itself when it is
 * alone). A thread that finds its frame already written by the lock's previous holder writes
 * nothing. This flat combining needs no extra thread and no timer, adds no wait when only one frame
 * is ready, and turns the answers of one group commit, and the envelopes of one page or hand-off
 * (queued by the loop, then written once), into one socket write. Helidon 4.5 writes and flushes each
 * WebSocket message on its own, so fewer messages are fewer system calls.
 *
 * <p>Sections: identity; the events that drive the loop (called from the WebSocket endpoint's
 * thread, from senders' threads and from the fan-out); the loop itself; and frame writing, where
 * {@code sendLock} orders every frame before the close frame and the outbox keeps queue order.
 */
final class DeviceConnection {
    private static final System.Logger LOG = System.getLogger(DeviceConnection.class.getName());
    private static final int PAGE = 100;
    private static final Duration ACK_WAIT = Duration.ofSeconds(5);
    /**
     * How often the loop looks at the queue by itself while cross-node signals are not flowing
     * (Redis unreachable): the bound on delivery delay in degraded mode.
     */
    static final Duration DEGRADED_POLL = Duration.ofSeconds(1);
    /** The pause before a read that found the database saturated is tried again. */
    private static final Duration BUSY_PAUSE = Duration.ofMillis(200);

    /** RFC 6455 close code 1011: the server hit a condition it did not expect. */
    static final int CLOSE_UNEXPECTED_CONDITION = 1011;

    private static final byte[] QUEUE_EMPTY_BINARY = BinaryFrames.encode(new Frame.QueueEmpty());

    private final AuthenticatedDevice device;
    /** The negotiated binary protocol: envelopes and answers as {@link BinaryFrames}, not JSON text. */
    private final boolean binary;
    /** Batch frames negotiated: data frames combine through {@link #outbox}. */
    private final boolean batching;
    private final Socket session;
    private final Thread connectionThread;
    private final MessageStore store;
    private final AckWriter ackWriter;
    private final Accounts accounts;
    private final DeliveryMetrics metrics;
    private final int maxInFlight;
    private final Duration keepalive;
    private final Consumer<DeviceConnection> onEnd;
    private final BooleanSupplier pushing;
    private final String id = UUID.randomUUID().toString();
    /** True once this connection's own "connected" signal came back from Redis (see DeliveryFeature). */
    private volatile boolean announced;

    // State shared between the loop, the connection thread (acks, close) and senders (wake).
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition work = lock.newCondition();
    /** Sent and not yet acked: each envelope's guid (what the client acks) to its queue id (what the store deletes by). */
    private final Map<String, Long> inFlight = new HashMap<>();
    private List<Handed> handed = new ArrayList<>();
    /** Something may be in the queue that no hand-off carries: the loop must read it. */
    private boolean readRequested = true;
    private boolean signalled;
    private boolean running = true;

    // Orders our frames against the close frame: no data may follow a close.
    private final ReentrantLock sendLock = new ReentrantLock();
    private boolean closed;
    /** A write failed: the socket is dead, every later write fails at once. Guarded by sendLock. */
    private boolean broken;
    /**
     * Binary frames queued for the next write (batch connections only), in the order queued: the
     * order they reach the client. Added to without the lock; drained only under {@code sendLock}.
     */
    private final ConcurrentLinkedQueue<byte[]> outbox = new ConcurrentLinkedQueue<>();

    private volatile Thread loop;

    DeviceConnection(AuthenticatedDevice device, boolean binary, boolean batching, Socket session, Thread connectionThread, MessageStore store,
                     AckWriter ackWriter, Accounts accounts, DeliveryMetrics metrics, int maxInFlight, Duration keepalive,
                     Consumer<DeviceConnection> onEnd, BooleanSupplier pushing) {
        this.device = device;
        this.binary = binary || batching;
        this.batching = batching;
        this.session = session;
        this.connectionThread = connectionThread;
        this.store = store;
        this.ackWriter = ackWriter;
        this.accounts = accounts;
        this.metrics = metrics;
        this.maxInFlight = maxInFlight;
        this.keepalive = keepalive;
        this.onEnd = onEnd;
        this.pushing = pushing;
    }

    // ------------------------------------------------------------------ identity

    /** A random id, unique to this connection, carried by its cross-node "connected" signal. */
    String id() {
        return id;
    }

    boolean announced() {
        return announced;
    }

    void markAnnounced() {
        announced = true;
    }

    AuthenticatedDevice device() {
        return device;
    }

    // ------------------------------------------------------------------ events: from the endpoint, from senders, from other nodes

    void start() {
        loop = Thread.ofVirtual().name("parley-delivery").start(this::run);
    }

    /** New envelopes may be queued for this device: the loop reads its queue. */
    void wake() {
        lock.lock();
        try {
            readRequested = true;
            signalled = true;
            work.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Envelopes just committed to this device's queue, with the sender's handle for their frames.
     * Too many waiting (a stalled loop) are dropped for a read of the queue, which holds them.
     */
    void handOff(List<StoredEnvelope> envelopes, String sourceHandle) {
        lock.lock();
        try {
            if (handed.size() + envelopes.size() > maxInFlight) {
                readRequested = true;
            } else {
                for (StoredEnvelope e : envelopes) {
                    handed.add(new Handed(e, sourceHandle));
                }
            }
            signalled = true;
            work.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Takes the ack for deletion (only from this device's queue; written with others in one
     * transaction by the {@link AckWriter}) and frees its window slot.
     */
    void acked(String guid) {
        // An envelope this connection sent is deleted by its queue id, a key lookup; any other guid
        // (acked twice, or never sent here) is looked up in this device's queue as before.
        Long id = freeSlot(guid);
        ackWriter.ack(new QueueEntry(device.accountId(), device.deviceId(),
                id == null ? QueueEntry.UNKNOWN_ID : id, guid));
    }

    /** The connection is over (close frame, error): the loop ends without sending anything more. */
    void stop() {
        lock.lock();
        try {
            running = false;
            work.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Stops the loop and sends a close frame unless one was sent. Blocks while a frame is being
     * written. {@code reason} must fit a control frame (123 bytes); ours are short constants.
     */
    void close(int code, String reason) {
        stop();
        sendLock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            session.close(code, reason);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "closing a delivery WebSocket failed: " + e.getMessage());
        } finally {
            sendLock.unlock();
        }
    }

    /**
     * Stops the loop now and sends the close frame from a new virtual thread: closing waits for a
     * frame the loop may be writing to a slow socket, and the caller (a newer connection, a
     * re-registration) must not.
     */
    void closeSoon(int code, String reason) {
        stop();
        Thread.ofVirtual().name("parley-delivery-close").start(() -> close(code, reason));
    }

    /**
     * Writes the answer to one of the client's {@code send} frames. A connection that is gone
     * drops it: the send is committed either way, and the envelopes are delivered as usual.
     */
    void answer(Frame.SendResult result) {
        try {
            if (binary) {
                sendBytes(BinaryFrames.encode(result));
            } else {
                sendText(Frames.sendResult(result));
            }
        } catch (ConnectionGone e) {
            LOG.log(System.Logger.Level.DEBUG, "a send answer found its WebSocket gone");
        }
    }

    /** Answers a client ping, as RFC 6455 requires; Helidon's listener default does not. */
    void pong(byte[] payload) {
        try {
            sendFrame(s -> s.pong(payload));
        } catch (ConnectionGone e) {
            stop();
        }
    }

    /** Waits up to {@code timeout} for the loop thread to end; true if it has. */
    boolean awaitEnd(Duration timeout) throws InterruptedException {
        Thread t = loop;
        return t == null || t.join(timeout);
    }

    // ------------------------------------------------------------------ the delivery loop

    private void run() {
        try {
            deliver();
        } catch (ConnectionGone e) {
            LOG.log(System.Logger.Level.DEBUG, "delivery WebSocket gone: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            // A database failure: the envelopes are safe in the queue; the client reconnects.
            LOG.log(System.Logger.Level.ERROR, "delivery loop failed: " + e.getMessage(), e);
            close(CLOSE_UNEXPECTED_CONDITION, "server error, reconnect later");
        } finally {
            stop();
            onEnd.accept(this);
        }
    }

    private void deliver() throws InterruptedException {
        // Acks of an earlier connection of this device that are still being written would
        // otherwise be read back and sent again.
        ackWriter.awaitWritten(ACK_WAIT);
        long backlogEnd = whenNotBusy(() -> store.lastId(device.accountId(), device.deviceId()));
        long lastSent = 0;
        boolean queueEmptySent = false;
        boolean mustRead = true;
        while (isRunning()) {
            List<Handed> arrived = takeHanded();
            if (takeReadRequest()) {
                mustRead = true;
            }
            if (!arrived.isEmpty() && !mustRead && queueEmptySent) {
                arrived.sort(Comparator.comparingLong(h -> h.envelope().message().id()));
                for (Handed h : arrived) {
                    QueuedMessage m = h.envelope().message();
                    if (m.id() <= lastSent) {
                        continue; // already read from the queue
                    }
                    if (h.envelope().previousId() > lastSent || room() <= 0) {
                        mustRead = true; // a gap or a full window: the queue holds it
                        break;
                    }
                    send(m, h.sourceHandle());
                    metrics.handedOff().increment();
                    lastSent = m.id();
                }
                flushQueued();
            } else if (!arrived.isEmpty()) {
                mustRead = true;
            }
            int room = room();
            if (mustRead && room > 0) {
                int limit = Math.min(room, PAGE);
                long after = lastSent;
                List<QueuedMessage> page = whenNotBusy(() -> store.page(device.accountId(), device.deviceId(), after, limit));
                Map<String, Optional<String>> handles = new HashMap<>();
                for (QueuedMessage m : page) {
                    if (!queueEmptySent && m.id() > backlogEnd) {
                        sendQueueEmpty();
                        queueEmptySent = true;
                    }
                    // A sealed envelope has no source, hence no handle to add.
                    send(m, m.sealed() ? null : handles.computeIfAbsent(m.sourceAccountId(),
                            source -> whenNotBusy(() -> accounts.handleOf(source))).orElse(null));
                    lastSent = m.id();
                }
                boolean caughtUp = page.size() < limit;
                if (!queueEmptySent && (caughtUp || lastSent >= backlogEnd)) {
                    sendQueueEmpty();
                    queueEmptySent = true;
                }
                flushQueued();
                if (!caughtUp) {
                    continue;
                }
                mustRead = false;
            }
            if (awaitWork()) {
                keepalive();
                mustRead = true; // the slow safety net: look at the queue once per keepalive
            }
        }
    }

    /**
     * Runs a read of the loop, waiting and trying again while the database is saturated (a pool
     * with no free connection): load slows delivery down but never closes the connection. Other
     * storage failures end the loop as before (1011; the client reconnects).
     */
    private <T> T whenNotBusy(java.util.function.Supplier<T> read) {
        while (true) {
            try {
                return read.get();
            } catch (StorageBusy e) {
                metrics.busyRetries().increment();
                lock.lock();
                try {
                    if (!running) {
                        throw new ConnectionGone("stopped while the database was busy");
                    }
                    work.await(BUSY_PAUSE.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw new ConnectionGone("interrupted while the database was busy");
                } finally {
                    lock.unlock();
                }
            }
        }
    }

    /** Sends an envelope; on a batch connection it is only queued, for the loop's next {@link #flushQueued}. */
    private void send(QueuedMessage m, String sourceHandle) {
        addInFlight(m.guid(), m.id());
        if (binary) {
            queueBytes(BinaryFrames.encode(Frames.envelopeFrame(m, sourceHandle)));
        } else {
            sendText(Frames.envelope(m, sourceHandle));
        }
        metrics.delivered().increment();
    }

    private List<Handed> takeHanded() {
        lock.lock();
        try {
            if (handed.isEmpty()) {
                return List.of();
            }
            List<Handed> taken = handed;
            handed = new ArrayList<>();
            return taken;
        } finally {
            lock.unlock();
        }
    }

    private boolean takeReadRequest() {
        lock.lock();
        try {
            boolean requested = readRequested;
            readRequested = false;
            return requested;
        } finally {
            lock.unlock();
        }
    }

    private int room() {
        lock.lock();
        try {
            return maxInFlight - inFlight.size();
        } finally {
            lock.unlock();
        }
    }

    private boolean isRunning() {
        lock.lock();
        try {
            return running;
        } finally {
            lock.unlock();
        }
    }

    private void addInFlight(String guid, long id) {
        lock.lock();
        try {
            inFlight.put(guid, id);
        } finally {
            lock.unlock();
        }
    }

    /** Frees the window slot of the envelope {@code ackedGuid} and wakes the loop; returns its queue id, or null if it was not in flight. */
    private Long freeSlot(String ackedGuid) {
        lock.lock();
        try {
            Long id = inFlight.remove(ackedGuid);
            if (id != null) {
                signalled = true;
                work.signalAll();
            }
            return id;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Sleeps until signalled or stopped; returns true when the keepalive interval passed instead.
     * While wake-ups from other nodes cannot arrive ({@code pushing} false), it returns early every
     * {@link #DEGRADED_POLL} so that the loop looks at the queue anyway: slower, nothing missed.
     */
    private boolean awaitWork() throws InterruptedException {
        lock.lock();
        try {
            long start = System.nanoTime();
            long keepaliveNanos = keepalive.toNanos();
            while (!signalled && running) {
                long elapsed = System.nanoTime() - start;
                if (elapsed >= keepaliveNanos) {
                    break;
                }
                boolean push = pushing.getAsBoolean();
                if (!push && elapsed >= DEGRADED_POLL.toNanos()) {
                    signalled = false;
                    readRequested = true;
                    return false;
                }
                long wait = keepaliveNanos - elapsed;
                if (!push) {
                    wait = Math.min(wait, DEGRADED_POLL.toNanos() - elapsed);
                }
                // When push stops working, the fan-out wakes every connection (Receiver.resync),
                // so a loop waiting here for the keepalive switches to polling at once.
                work.awaitNanos(wait);
            }
            boolean timedOut = !signalled && running;
            signalled = false;
            return timedOut;
        } finally {
            lock.unlock();
        }
    }

    // ------------------------------------------------------------------ writing frames

    private void keepalive() {
        if (!connectionThread.isAlive()) {
            throw new ConnectionGone("the connection thread ended");
        }
        sendFrame(Socket::ping);
    }

    private void sendText(String text) {
        sendFrame(s -> s.send(text));
    }

    /**
     * Writes one binary frame now: on a batch connection, with whatever else is queued. Before it
     * takes the lock the thread yields once: the answers of one group commit wake together, and the
     * yield lets the others queue theirs so that the first to write takes them all (a reschedule of
     * microseconds, against a socket write saved per answer).
     */
    private void sendBytes(byte[] frame) {
        if (batching) {
            outbox.add(frame);
            Thread.yield();
            sendFrame(null);
        } else {
            sendFrame(s -> s.sendBinary(frame));
        }
    }

    /**
     * Queues one binary frame for the next write on a batch connection (the loop's, at the end of a
     * page or hand-off, or an earlier one by another thread); writes it now on any other connection.
     */
    private void queueBytes(byte[] frame) {
        if (batching) {
            outbox.add(frame);
        } else {
            sendFrame(s -> s.sendBinary(frame));
        }
    }

    /** Writes what {@link #queueBytes} queued, unless another writer already took it. */
    private void flushQueued() {
        if (batching && !outbox.isEmpty()) {
            sendFrame(null);
        }
    }

    private void sendQueueEmpty() {
        if (binary) {
            queueBytes(QUEUE_EMPTY_BINARY);
        } else {
            sendText(Frames.QUEUE_EMPTY);
        }
    }

    /**
     * Under {@code sendLock}: writes the outbox, then {@code write} (a control frame or a JSON
     * frame; null for none). Control frames thus never overtake data frames queued before them.
     */
    private void sendFrame(Consumer<Socket> write) {
        sendLock.lock();
        try {
            if (closed || broken || !isRunning()) {
                throw new ConnectionGone("the connection is closing");
            }
            writeOutbox();
            if (write != null) {
                write.accept(session);
            }
        } catch (ConnectionGone e) {
            throw e;
        } catch (RuntimeException e) {
            // Helidon reports a dead socket as an unchecked exception from the write.
            broken = true;
            throw new ConnectionGone("write failed: " + e.getClass().getSimpleName());
        } finally {
            sendLock.unlock();
        }
    }

    /**
     * Drains the outbox into as few WebSocket messages as the batch bounds allow (usually one), in
     * queue order. Called with {@code sendLock} held.
     */
    private void writeOutbox() {
        byte[] first = outbox.poll();
        if (first == null) {
            return;
        }
        byte[] next = outbox.poll();
        if (next == null) {
            session.sendBinary(first); // alone: the frame itself, no batch around it
            return;
        }
        List<byte[]> batch = new ArrayList<>();
        batch.add(first);
        int bytes = BinaryFrames.BATCH_HEADER_BYTES + BinaryFrames.batchedSize(first);
        for (byte[] f = next; f != null; f = outbox.poll()) {
            int size = BinaryFrames.batchedSize(f);
            if (batch.size() == BinaryFrames.MAX_BATCH_FRAMES || bytes + size > BinaryFrames.MAX_BATCH_BYTES) {
                writeBatch(batch);
                batch = new ArrayList<>();
                bytes = BinaryFrames.BATCH_HEADER_BYTES;
            }
            batch.add(f);
            bytes += size;
        }
        writeBatch(batch);
    }

    private void writeBatch(List<byte[]> frames) {
        session.sendBinary(frames.size() == 1 ? frames.getFirst() : BinaryFrames.batch(frames));
    }

    /** An envelope handed over in memory, with what its frame needs. */
    private record Handed(StoredEnvelope envelope, String sourceHandle) {}

    /** The connection cannot carry frames any more; the loop ends quietly. */
    private static final class ConnectionGone extends RuntimeException {
        private static final long serialVersionUID = 1L;

        ConnectionGone(String message) {
            super(message, null, false, false);
        }
    }
}
