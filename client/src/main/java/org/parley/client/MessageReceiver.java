// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.client;

import org.parley.client.error.ParleyApiException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.parley.client.store.HomeLock;
import org.parley.client.transport.Backoff;
import org.parley.client.transport.DeliveryEvent;
import org.parley.client.transport.DeliverySocket;
import org.parley.client.transport.ServerFailover;
import org.parley.protocol.Envelope;
import org.parley.protocol.Frame;
import org.parley.client.error.ParleyTransportException;

/**
 * The receive loop: delivery connections, each envelope through the {@link ReceivePath} (stored in the
 * history, acked, shown), until the mode and the timeout say stop. Envelopes that are already waiting
 * when one is taken go through together as a burst: one commit, then their acks.
 *
 * <p>Drain mode returns at the server's {@code queue-empty}; follow mode goes on. A connection that breaks
 * or a node that goes away is reconnected, moving through the home's server URLs ({@link ServerFailover})
 * with jittered backoff, until the timeout (measured from the last progress: an envelope or the end of
 * the backlog) runs out. 4409 (another connection of this device) and protocol-error closes end the loop.
 */
final class MessageReceiver {
    /**
     * Most envelopes stored in one commit. A burst is only what has already arrived when the first is taken,
     * so a lone message is never held back waiting for company; the bound keeps the time until the first
     * ack (and the first one shown) short when a long backlog drains.
     */
    static final int MAX_BURST = 64;
    private final DeviceContext ctx;
    private final ReceiveOptions options;
    private final ReceiveHandler handler;
    private final Backoff backoff;
    private ReceivePath path;
    private long lastProgress;
    private int reconnects;
    /** Whether the current outage was reported to the observer; cleared by progress. */
    private boolean outageReported;
    /** Set at the first queue-empty: from then on each envelope's receipts are sent right after it. */
    private boolean backlogDone;

    MessageReceiver(DeviceContext ctx, ReceiveOptions options, ReceiveHandler handler, Backoff backoff) {
        this.ctx = ctx;
        this.options = options;
        this.handler = handler;
        this.backoff = backoff;
    }

    record Outcome(int messages, int failures, int duplicates, int shown, int reconnects,
                   ReceiveSummary.StopReason stopReason, String detail) {}

    /** How one connection ended: a final reason, or {@code lost} (reconnect) with what happened. */
    private record Ending(ReceiveSummary.StopReason stop, String detail) {
        static Ending lost(String detail) {
            return new Ending(null, detail);
        }
    }

    Outcome run() {
        ctx.state().seenEnvelopes().prune();
        try (HomeLock lock = HomeLock.open(ctx.state().home())) {
            SessionRepair repair = new SessionRepair(ctx);
            path = new ReceivePath(ctx.state(), ctx.crypto(), ctx.account().handle(), ctx.accountId(), ctx.deviceId(),
                    ctx.clock(), repair::sendPending, lock, options, handler);
            // Entries an earlier run stored (and acked) but did not get to show come first.
            path.showUnshownUnlessBusy();
            if (path.limitReached()) {
                return outcome(ReceiveSummary.StopReason.MAX_MESSAGES, null);
            }
            ServerFailover servers = new ServerFailover(ctx.api().servers(), backoff);
            lastProgress = System.nanoTime();
            while (true) {
                Ending ending = connectAndReceive(servers);
                if (ending.stop() != null) {
                    return outcome(ending.stop(), ending.detail());
                }
                Duration left = remaining();
                if (left != null && left.isZero()) {
                    return outcome(ReceiveSummary.StopReason.UNREACHABLE, ending.detail());
                }
                if (!outageReported) {
                    outageReported = true;
                    options.observer().reconnecting(ending.detail());
                }
                Duration wait = servers.failed();
                sleep(left != null && left.compareTo(wait) < 0 ? left : wait);
            }
        }
    }

    private Ending connectAndReceive(ServerFailover servers) {
        DeliverySocket socket;
        try {
            socket = ctx.api().openDelivery(servers.current());
        } catch (ParleyTransportException e) {
            return Ending.lost(e.getMessage());
        } catch (ParleyApiException e) {
            // A balancer answers 502/503 while its nodes restart; a 401 or 403 will not get better by retrying.
            if (e.status() >= 500 || e.status() == 429 || e.status() == 408) {
                return Ending.lost(e.getMessage());
            }
            throw e;
        }
        try (socket) {
            Ending ending = receive(socket, servers);
            if (ending.stop() == null) {
                reconnects++;
            }
            return ending;
        }
    }

    private Ending receive(DeliverySocket socket, ServerFailover servers) {
        DeliveryEvent held = null; // an event read while collecting a burst, handled next
        while (true) {
            DeliveryEvent event;
            if (held != null) {
                event = held;
                held = null;
            } else {
                Duration left = remaining();
                Optional<DeliveryEvent> next = socket.next(left == null ? Duration.ofSeconds(-1) : left);
                if (next.isEmpty()) {
                    return new Ending(ReceiveSummary.StopReason.TIMEOUT, null);
                }
                event = next.get();
            }
            switch (event) {
                case DeliveryEvent.Received(Frame.EnvelopeFrame(Envelope envelope)) when envelope != null -> {
                    progress(servers);
                    // Envelopes that have already arrived behind this one are stored in the same commit.
                    List<Envelope> burst = new ArrayList<>();
                    burst.add(envelope);
                    int room = Math.min(MAX_BURST, path.room());
                    while (burst.size() < room) {
                        Optional<DeliveryEvent> more = socket.next(Duration.ZERO);
                        if (more.isEmpty()) {
                            break;
                        }
                        if (more.get() instanceof DeliveryEvent.Received(Frame.EnvelopeFrame(Envelope e)) && e != null) {
                            burst.add(e);
                        } else {
                            held = more.get();
                            break;
                        }
                    }
                    String ackFailure = path.handle(burst, socket::ack);
                    if (backlogDone) {
                        ReceiptSender.flush(ctx);
                    }
                    if (path.limitReached()) {
                        return new Ending(ReceiveSummary.StopReason.MAX_MESSAGES, null);
                    }
                    if (ackFailure != null) {
                        return Ending.lost(ackFailure);
                    }
                }
                case DeliveryEvent.Received(Frame.QueueEmpty _) -> {
                    progress(servers);
                    // Receipts for the backlog go in one message per contact, once it is all in.
                    backlogDone = true;
                    ReceiptSender.flush(ctx);
                    if (options.mode() == ReceiveOptions.Mode.DRAIN) {
                        return new Ending(ReceiveSummary.StopReason.DRAINED, null);
                    }
                }
                case DeliveryEvent.Received(_) -> {
                    // Client-to-server kinds (ack) never arrive here; anything else is ignored.
                }
                case DeliveryEvent.Closed(int code, String reason) -> {
                    return closed(code, reason);
                }
                case DeliveryEvent.Failed(Throwable error) -> {
                    return Ending.lost("the delivery connection to " + servers.current() + " broke: " + error);
                }
            }
        }
    }

    /** Which closes are final; everything else (1000, 1001 shutting down, 1006 dropped, 1011 ...) is retried. */
    private static Ending closed(int code, String reason) {
        String said = reason == null || reason.isBlank() ? null : reason;
        if (code == Frame.CLOSE_DEVICE_REMOVED) {
            return new Ending(ReceiveSummary.StopReason.SERVER_CLOSED,
                    "this device was removed from the account (close code " + code + ")");
        }
        if (code == Frame.CLOSE_CONNECTED_ELSEWHERE) {
            return new Ending(ReceiveSummary.StopReason.CONNECTED_ELSEWHERE, said);
        }
        // 1002 protocol error, 1003 unacceptable data, 1007 invalid payload, 1008 policy, 1009 too big: this
        // client sent something the server refuses, and would send it again.
        if (code == 1002 || code == 1003 || code == 1007 || code == 1008 || code == 1009) {
            return new Ending(ReceiveSummary.StopReason.SERVER_CLOSED,
                    "close code " + code + (said == null ? "" : " (" + said + ")"));
        }
        return Ending.lost("the server closed the connection with code " + code + (said == null ? "" : " (" + said + ")"));
    }

    private void progress(ServerFailover servers) {
        lastProgress = System.nanoTime();
        outageReported = false;
        servers.succeeded();
    }

    /** Time left before the timeout (never negative); null without a timeout. */
    private Duration remaining() {
        if (options.timeout() == null) {
            return null;
        }
        long left = lastProgress + options.timeout().toNanos() - System.nanoTime();
        return Duration.ofNanos(Math.max(0, left));
    }

    private static void sleep(Duration wait) {
        try {
            Thread.sleep(wait);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ParleyTransportException("interrupted while waiting to reconnect", e);
        }
    }

    private Outcome outcome(ReceiveSummary.StopReason reason, String detail) {
        return new Outcome(path.messages(), path.failures(), path.duplicates(), path.shown(), reconnects, reason, detail);
    }
}
