// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.client;

import org.parley.client.crypto.DecryptionException;
import org.parley.client.crypto.Plaintext;
import org.parley.client.crypto.SessionCrypto;
import org.parley.client.store.LocalState;
import org.parley.protocol.Envelope;

/**
 * Turns one delivered envelope into a history entry. Everything happens in one transaction (or, in a
 * burst, {@link #storeAll}, under one savepoint of the burst's transaction): the GUID
 * check, the decrypt (session state, used prekeys, identities), the seen mark, the contact and the
 * history entry. The GUID check must be inside it: two receivers of one home may hold the same envelope,
 * and the second one to get the write lock then sees the first one's commit instead of decrypting an
 * already used message key and reporting the envelope as broken.
 */
final class EnvelopeStore {
    enum Result { MESSAGE, UNDECRYPTABLE, DUPLICATE }

    private final LocalState state;
    private final SessionCrypto crypto;
    private final String ownAccountId;

    EnvelopeStore(LocalState state, SessionCrypto crypto, String ownAccountId) {
        this.state = state;
        this.crypto = crypto;
        this.ownAccountId = ownAccountId;
    }

    /**
     * Stores a burst of envelopes in one transaction: one commit (one fsync) for all of them, which the
     * caller acks only after this returns. Each envelope runs under its own savepoint, so one that fails to
     * decrypt is recorded as undecryptable without undoing the others.
     */
    java.util.List<Result> storeAll(java.util.List<Envelope> envelopes) {
        return state.database().sql(c -> envelopes.stream().map(this::store).toList());
    }

    Result store(Envelope envelope) {
        try {
            return state.database().atomically(c -> {
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
                return Result.UNDECRYPTABLE;
            });
        }
    }

    private void recordUndecryptable(Envelope envelope, DecryptionException e) {
        state.history().undecryptable(envelope.guid(), envelope.sourceHandle(), envelope.sourceAccountId(),
                envelope.sourceDeviceId(), e.reason().name(), e.getMessage(), envelope.serverTimestamp());
    }
}
