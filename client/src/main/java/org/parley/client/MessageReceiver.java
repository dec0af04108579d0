// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.client;

import java.time.Duration;
import java.util.Optional;
import org.parley.client.crypto.DecryptionException;
import org.parley.client.crypto.Plaintext;
import org.parley.client.crypto.SessionCrypto;
import org.parley.client.transport.DeliveryEvent;
import org.parley.client.transport.DeliverySocket;
import org.parley.protocol.Envelope;
import org.parley.protocol.Frame;
import org.parley.client.error.ParleyTransportException;

/**
 * The receive loop: one delivery connection, envelopes decrypted in order, each one committed (session
 * state plus "GUID seen", in one transaction) before the handler sees it and acked after.
 *
 * <p>Timeouts follow signal-cli: after the backlog ({@code queue-empty}) and after each message, wait up
 * to {@code timeout} for the next one; a negative timeout waits forever. While the backlog is still
 * arriving the wait is at least {@link #BACKLOG_WAIT}, so a timeout of zero means "drain the queue".
 */
final class MessageReceiver {
    static final Duration BACKLOG_WAIT = Duration.ofSeconds(30);

    private final DeviceContext ctx;
    private int messages;
    private int failures;
    private int duplicates;

    MessageReceiver(DeviceContext ctx) {
        this.ctx = ctx;
    }

    record Outcome(int messages, int failures, int duplicates, ReceiveSummary.StopReason stopReason, String closeReason) {}

    Outcome run(Duration timeout, ReceiveHandler handler) {
        ctx.state().seenEnvelopes().prune();
        boolean backlogDone = false;
        try (DeliverySocket socket = ctx.api().openDelivery()) {
            while (true) {
                Duration wait = backlogDone || timeout.isNegative() || timeout.compareTo(BACKLOG_WAIT) > 0
                        ? timeout : BACKLOG_WAIT;
                Optional<DeliveryEvent> next = socket.next(wait);
                if (next.isEmpty()) {
                    return outcome(ReceiveSummary.StopReason.TIMEOUT, null);
                }
                switch (next.get()) {
                    case DeliveryEvent.Received(Frame.EnvelopeFrame(Envelope envelope)) when envelope != null -> {
                        handle(envelope, handler);
                        socket.ack(envelope.guid());
                    }
                    case DeliveryEvent.Received(Frame.QueueEmpty _) -> backlogDone = true;
                    case DeliveryEvent.Received(_) -> {
                        // Client-to-server kinds (ack) never arrive here; anything else is ignored.
                    }
                    case DeliveryEvent.Closed(int code, String reason) -> {
                        return outcome(code == Frame.CLOSE_CONNECTED_ELSEWHERE
                                ? ReceiveSummary.StopReason.CONNECTED_ELSEWHERE
                                : ReceiveSummary.StopReason.SERVER_CLOSED, reason);
                    }
                    case DeliveryEvent.Failed(Throwable error) ->
                            throw new ParleyTransportException("the delivery connection broke: " + error, error);
                }
            }
        }
    }

    private Outcome outcome(ReceiveSummary.StopReason reason, String closeReason) {
        return new Outcome(messages, failures, duplicates, reason, closeReason);
    }

    private void handle(Envelope envelope, ReceiveHandler handler) {
        if (ctx.state().seenEnvelopes().contains(envelope.guid())) {
            duplicates++;
            return;
        }
        byte[] decrypted;
        try {
            decrypted = ctx.state().database().transaction(c -> {
                byte[] bytes = ctx.crypto().decrypt(
                        SessionCrypto.address(envelope.sourceAccountId(), envelope.sourceDeviceId()),
                        envelope.type(), envelope.content());
                ctx.state().seenEnvelopes().markSeen(envelope.guid());
                if (envelope.sourceHandle() != null) {
                    ctx.state().contacts().remember(envelope.sourceHandle(), envelope.sourceAccountId());
                }
                return bytes;
            });
        } catch (DecryptionException e) {
            fail(envelope, e, handler);
            return;
        }
        IdentityChanges.drain(ctx.state()).forEach(handler::onEvent);
        Plaintext plaintext;
        try {
            plaintext = Plaintext.decode(decrypted);
        } catch (DecryptionException e) {
            fail(envelope, e, handler);
            return;
        }
        messages++;
        handler.onEvent(new ReceivedMessage(envelope.guid(), envelope.sourceHandle(), envelope.sourceAccountId(),
                envelope.sourceDeviceId(), plaintext.body(), plaintext.sentAt(), envelope.serverTimestamp(),
                fromOwnAccount(envelope) ? plaintext.destination() : null));
    }

    /** Marked seen in its own transaction (the decrypt rolled back) and reported; the caller acks it. */
    private void fail(Envelope envelope, DecryptionException e, ReceiveHandler handler) {
        failures++;
        ctx.state().seenEnvelopes().markSeen(envelope.guid());
        handler.onEvent(new UndecryptableMessage(envelope.guid(), envelope.sourceHandle(), envelope.sourceAccountId(),
                envelope.sourceDeviceId(), envelope.serverTimestamp(), e.reason(), e.getMessage()));
    }

    /** Only our own devices may claim a message is a copy of one we sent. */
    private boolean fromOwnAccount(Envelope envelope) {
        return ctx.accountId().equals(envelope.sourceAccountId());
    }
}
