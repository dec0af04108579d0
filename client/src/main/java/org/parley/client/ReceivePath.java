// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.client;

import org.parley.client.error.ParleyTransportException;
import org.parley.client.crypto.SessionCrypto;
import org.parley.client.store.HomeLock;
import org.parley.client.store.LocalState;
import java.util.List;
import org.parley.protocol.Envelope;

/**
 * What happens to delivered envelopes, under the home's receive lock: store them in the history (one
 * transaction with the session state and the seen GUIDs, see {@link EnvelopeStore}; a burst of envelopes
 * that arrived together shares one transaction), ack them, then hand the history entries not shown yet to
 * the handler, marking each shown after the handler returns.
 *
 * <p>So a process that dies at any point loses nothing (the entry is committed before the server may
 * delete the envelope) and shows nothing twice (a redelivered envelope is a duplicate, a shown entry is
 * marked). The one window left is between a handler's return and the mark's commit: a crash exactly
 * there shows that entry once more. Under the lock, a second receiver of the same home waits its turn,
 * and then finds the envelope stored and the entry shown.
 */
final class ReceivePath {
    /** Sends the ack of one envelope; a {@link ParleyTransportException} means the connection is gone. */
    @FunctionalInterface
    interface Ack {
        void send(String guid);
    }

    private final LocalState state;
    private final HomeLock lock;
    private final ReceiveOptions options;
    private final ReceiveHandler handler;
    private final EnvelopeStore store;
    private final UnshownEntries unshown;
    /** Sends the session resets the envelopes asked for; network work, run after the ack. */
    private final Runnable repair;
    private int messages;
    private int failures;
    private int duplicates;
    private int stored;
    private int shown;

    ReceivePath(LocalState state, SessionCrypto crypto, String ownHandle, String ownAccountId, HomeLock lock,
                ReceiveOptions options, ReceiveHandler handler) {
        this(state, crypto, ownHandle, ownAccountId, 0, java.time.Clock.systemUTC(), () -> { }, lock, options, handler);
    }

    ReceivePath(LocalState state, SessionCrypto crypto, String ownHandle, String ownAccountId, int ownDeviceId,
                java.time.Clock clock, Runnable repair, HomeLock lock, ReceiveOptions options, ReceiveHandler handler) {
        this.state = state;
        this.lock = lock;
        this.options = options;
        this.handler = handler;
        this.repair = repair;
        this.store = new EnvelopeStore(state, crypto, ownAccountId, ownDeviceId, clock);
        this.unshown = new UnshownEntries(state, ownHandle, ownAccountId);
    }

    /** Stores, acks and shows one envelope; returns why the ack could not be sent, or null when it was. */
    String handle(Envelope envelope, Ack ack) {
        return handle(List.of(envelope), ack);
    }

    /**
     * Stores a burst of envelopes in one commit, then acks each, then shows: one fsync for the burst
     * instead of one per envelope. The acks go out only after the commit that holds the new session
     * state, so an acked envelope's ratchet step can never be lost. Returns why an ack could not be
     * sent (the rest of the burst is then not acked, and the server redelivers it as duplicates), or null.
     */
    String handle(List<Envelope> envelopes, Ack ack) {
        List<Envelope> rest = envelopes;
        while (!rest.isEmpty()) {
            int[] done = new int[1];
            String ackFailure = handlePart(rest, ack, done);
            if (ackFailure != null) {
                return ackFailure;
            }
            rest = rest.subList(done[0], rest.size());
        }
        return null;
    }

    /** Stores, acks and shows the first part of {@code envelopes} (see {@link EnvelopeStore#storeAll}). */
    private String handlePart(List<Envelope> burst, Ack ack, int[] done) {
        try (HomeLock.Held held = lock.acquire()) {
            List<EnvelopeStore.Result> results = store.storeAll(burst);
            List<Envelope> envelopes = burst.subList(0, results.size());
            done[0] = results.size();
            for (int i = 0; i < envelopes.size(); i++) {
                switch (results.get(i)) {
                    case MESSAGE -> {
                        messages++;
                        stored++;
                    }
                    case UNDECRYPTABLE -> {
                        failures++;
                        stored++;
                    }
                    case DUPLICATE -> duplicates++;
                    case NOTICE, CONTROL -> { }
                }
                options.observer().stored(envelopes.get(i).guid());
            }
            String ackFailure = null;
            for (Envelope envelope : envelopes) {
                try {
                    ack.send(envelope.guid());
                    options.observer().acknowledged(envelope.guid());
                } catch (ParleyTransportException e) {
                    // The entries are committed: the server sends them again and they are skipped as duplicates.
                    ackFailure = e.getMessage();
                    break;
                }
            }
            IdentityChanges.drain(state).forEach(handler::onEvent);
            repair.run();
            DeviceNotices.drain(state).forEach(handler::onEvent);
            // History entries first: a part holds at most one notice, and it is its last envelope.
            showLocked();
            Notices.drain(state).forEach(handler::onEvent);
            SessionRepair.drainNotices(state).forEach(handler::onEvent);
            return ackFailure;
        }
    }

    /**
     * How many envelopes the next burst may hold so that {@link ReceiveOptions#maxMessages} is not passed:
     * {@code Integer.MAX_VALUE} without a limit.
     */
    int room() {
        if (options.maxMessages() == 0) {
            return Integer.MAX_VALUE;
        }
        return Math.max(1, options.maxMessages() - (options.show() ? shown : stored));
    }

    /** Shows entries an earlier run stored but did not get to show. */
    void showUnshown() {
        try (HomeLock.Held held = lock.acquire()) {
            showLocked();
        }
    }

    /**
     * Like {@link #showUnshown} unless another receiver of the home holds the lock: that one shows every
     * unshown entry once its current envelope is done, so there is no need to wait for it here.
     */
    void showUnshownUnlessBusy() {
        lock.tryAcquire().ifPresent(held -> {
            try (held) {
                showLocked();
            }
        });
    }

    private void showLocked() {
        if (options.show()) {
            int limit = options.maxMessages() == 0 ? -1 : options.maxMessages() - shown;
            shown += unshown.showEach(handler, limit);
        }
    }

    /** {@link ReceiveOptions#maxMessages} entries were handed over (or, storing only, stored). */
    boolean limitReached() {
        return options.maxMessages() > 0 && (options.show() ? shown : stored) >= options.maxMessages();
    }

    int messages() {
        return messages;
    }

    int failures() {
        return failures;
    }

    int duplicates() {
        return duplicates;
    }

    int shown() {
        return shown;
    }
}
