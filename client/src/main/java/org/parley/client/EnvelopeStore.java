// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.client;

import org.parley.client.crypto.DecryptionException;
import org.parley.client.crypto.Plaintext;
import org.parley.client.crypto.SessionCrypto;
import org.parley.client.store.LocalState;
import org.parley.protocol.Envelope;

/**
 * Turns one delivered envelope into a history entry. Everything happens in one transaction: the GUID
 * check, the decrypt (session state, used prekeys, identities), the seen mark, the contact and the
 * history entry. The GUID check must be inside it: two receivers of one home may hold the same envelope,
 * and the second one to get the write lock then sees the first one's commit instead of decrypting an
 * already used message key and reporting the envelope as broken.
 */
final class EnvelopeStore {
    /** CONTROL: a decrypted message that is not a history entry (a session reset). */
    enum Result { MESSAGE, UNDECRYPTABLE, DUPLICATE, CONTROL }

    /** At most one session reset per remote device in this long, so a device that stays broken is not reset in a loop. */
    static final long RESET_INTERVAL_MS = java.time.Duration.ofHours(1).toMillis();

    private final LocalState state;
    private final SessionCrypto crypto;
    private final String ownAccountId;
    private final int ownDeviceId;
    private final java.time.Clock clock;

    EnvelopeStore(LocalState state, SessionCrypto crypto, String ownAccountId) {
        this(state, crypto, ownAccountId, 0, java.time.Clock.systemUTC());
    }

    EnvelopeStore(LocalState state, SessionCrypto crypto, String ownAccountId, int ownDeviceId, java.time.Clock clock) {
        this.state = state;
        this.crypto = crypto;
        this.ownAccountId = ownAccountId;
        this.ownDeviceId = ownDeviceId;
        this.clock = clock;
    }

    Result store(Envelope envelope) {
        try {
            return state.database().transaction(c -> {
                if (state.seenEnvelopes().contains(envelope.guid())) {
                    return Result.DUPLICATE;
                }
                byte[] bytes = crypto.decrypt(SessionCrypto.address(envelope.sourceAccountId(), envelope.sourceDeviceId()),
                        envelope.type(), envelope.content());
                state.seenEnvelopes().markSeen(envelope.guid());
                if (envelope.sourceHandle() != null) {
                    state.contacts().remember(envelope.sourceHandle(), envelope.sourceAccountId());
                }
                Plaintext plaintext;
                try {
                    plaintext = Plaintext.decode(bytes);
                } catch (DecryptionException e) {
                    // The session step stays committed (the ciphertext was genuine); only the content is unreadable.
                    recordUndecryptable(envelope, e);
                    return Result.UNDECRYPTABLE;
                }
                if (plaintext.sessionReset() != null) {
                    // Decrypting it already replaced our session with the sender's new one. Only the device it
                    // names tells its user; our own devices' copies of a reset we sent say nothing new.
                    if (!ownAccountId.equals(envelope.sourceAccountId()) && plaintext.sessionReset() == ownDeviceId) {
                        state.sessionResets().received(envelope.sourceAccountId(), envelope.sourceDeviceId(), clock.millis());
                    }
                    return Result.CONTROL;
                }
                // Only our own devices may claim a message is a copy of one we sent.
                if (ownAccountId.equals(envelope.sourceAccountId()) && plaintext.destination() != null) {
                    state.history().syncCopy(envelope.guid(), plaintext.destination(), envelope.sourceDeviceId(),
                            plaintext.body(), plaintext.sentAt(), envelope.serverTimestamp());
                } else {
                    state.history().received(envelope.guid(), envelope.sourceHandle(), envelope.sourceAccountId(),
                            envelope.sourceDeviceId(), plaintext.body(), plaintext.sentAt(), envelope.serverTimestamp());
                }
                return Result.MESSAGE;
            });
        } catch (DecryptionException e) {
            // The decrypt rolled back and changed nothing; record the failure so it is reported and not retried.
            return state.database().sql(c -> {
                if (state.seenEnvelopes().contains(envelope.guid())) {
                    return Result.DUPLICATE;
                }
                state.seenEnvelopes().markSeen(envelope.guid());
                recordUndecryptable(envelope, e);
                if (repairable(e.reason())) {
                    // Sent after the ack by the session repair, at most once an hour per device.
                    state.sessionResets().request(envelope.sourceAccountId(), envelope.sourceDeviceId(), clock.millis(),
                            RESET_INTERVAL_MS);
                }
                return Result.UNDECRYPTABLE;
            });
        }
    }

    /**
     * The failures a new session fixes: we hold no session (lost state), the message does not fit the
     * session we hold (the sender's state diverged, or it is corrupt), or it names a prekey we deleted.
     * Not a duplicate: that message was already read.
     */
    private static boolean repairable(DecryptionException.Reason reason) {
        return reason == DecryptionException.Reason.NO_SESSION || reason == DecryptionException.Reason.INVALID_MESSAGE
                || reason == DecryptionException.Reason.UNKNOWN_PREKEY;
    }

    private void recordUndecryptable(Envelope envelope, DecryptionException e) {
        state.history().undecryptable(envelope.guid(), envelope.sourceHandle(), envelope.sourceAccountId(),
                envelope.sourceDeviceId(), e.reason().name(), e.getMessage(), envelope.serverTimestamp());
    }
}
