// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.client;

import org.parley.client.crypto.DecryptionException;
import org.parley.client.crypto.Plaintext;
import org.parley.client.crypto.SealedCrypto;
import org.parley.client.crypto.SessionCrypto;
import org.parley.client.store.LocalState;
import org.parley.protocol.Envelope;
import org.parley.protocol.Limits;
import org.parley.protocol.MessageType;

/**
 * Turns one delivered envelope into a history entry. Everything happens in one transaction (or, in a
 * burst, {@link #storeAll}, under one savepoint of the burst's transaction): the GUID
 * check, the decrypt (session state, used prekeys, identities), the seen mark, the contact and the
 * history entry. The GUID check must be inside it: two receivers of one home may hold the same envelope,
 * and the second one to get the write lock then sees the first one's commit instead of decrypting an
 * already used message key and reporting the envelope as broken.
 */
final class EnvelopeStore {
    /**
     * NOTICE: a group change, sender key, receipt or typing indicator; CONTROL: a session reset. Neither
     * is a history entry of its own.
     */
    enum Result { MESSAGE, UNDECRYPTABLE, DUPLICATE, NOTICE, CONTROL }

    /** At most one session reset per remote device in this long, so a device that stays broken is not reset in a loop. */
    static final long RESET_INTERVAL_MS = java.time.Duration.ofHours(1).toMillis();

    private final LocalState state;
    private final SessionCrypto crypto;
    private final String ownAccountId;
    private final IncomingExtras extras;
    private final int ownDeviceId;
    private final java.time.Clock clock;

    EnvelopeStore(LocalState state, SessionCrypto crypto, String ownAccountId) {
        this(state, crypto, ownAccountId, 0, java.time.Clock.systemUTC());
    }

    EnvelopeStore(LocalState state, SessionCrypto crypto, String ownAccountId, int ownDeviceId, java.time.Clock clock) {
        this.state = state;
        this.crypto = crypto;
        this.ownAccountId = ownAccountId;
        this.extras = new IncomingExtras(state, ownAccountId);
        this.ownDeviceId = ownDeviceId;
        this.clock = clock;
    }

    /**
     * Stores a burst of envelopes in one transaction: one commit (one fsync) for all of them, which the
     * caller acks only after this returns. Each envelope runs under its own savepoint, so one that fails to
     * decrypt is recorded as undecryptable without undoing the others. Returns one result per envelope
     * stored, in order: fewer than given when a notice ended the burst (the rest is for the next call).
     */
    java.util.List<Result> storeAll(java.util.List<Envelope> envelopes) {
        return state.database().sql(c -> {
            java.util.List<Result> results = new java.util.ArrayList<>();
            for (Envelope envelope : envelopes) {
                Result result = store(envelope);
                results.add(result);
                // A notice (receipt, typing, group change) is shown apart from the history entries: the burst
                // ends with it, so that what is shown stays in the order it arrived.
                if (result == Result.NOTICE || result == Result.CONTROL) {
                    break;
                }
            }
            return results;
        });
    }

    Result store(Envelope envelope) {
        try {
            return state.database().atomically(c -> {
                if (state.seenEnvelopes().contains(envelope.guid())) {
                    return Result.DUPLICATE;
                }
                Envelope opened = envelope;
                boolean group = envelope.type() == MessageType.SENDER_KEY;
                byte[] bytes;
                if (envelope.type() == MessageType.SEALED) {
                    // The envelope names no sender; the certificate inside does, and it must validate
                    // against the trust root pinned at registration.
                    SealedCrypto.Opened sealed = openSealed(envelope);
                    // The handle in the certificate (verified with it) names a sender this device never heard
                    // from identified, e.g. on a device linked later.
                    String handle = state.contacts().handleOf(sealed.senderAccountId()).orElse(sealed.senderHandle());
                    if (handle != null && !ownAccountId.equals(sealed.senderAccountId())) {
                        state.contacts().remember(handle, sealed.senderAccountId());
                    }
                    opened = new Envelope(envelope.guid(), sealed.senderAccountId(), sealed.senderDeviceId(), handle,
                            envelope.destinationDeviceId(), envelope.type(), envelope.content(),
                            envelope.clientTimestamp(), envelope.serverTimestamp());
                    bytes = sealed.plaintext();
                    // A sealed group text: libsignal already decrypted it with the sender key of the device the
                    // certificate names; it is handled as a sender-key envelope from that device.
                    group = sealed.senderKey();
                    state.sealedSender().markSealed(envelope.guid());
                } else {
                    bytes = group ? extras.decryptGroup(envelope)
                            : crypto.decrypt(SessionCrypto.address(envelope.sourceAccountId(), envelope.sourceDeviceId()),
                                    envelope.type(), envelope.content());
                    if (envelope.sourceHandle() != null) {
                        state.contacts().remember(envelope.sourceHandle(), envelope.sourceAccountId());
                    }
                }
                state.seenEnvelopes().markSeen(envelope.guid());
                Plaintext plaintext;
                try {
                    plaintext = Plaintext.decode(bytes);
                } catch (DecryptionException e) {
                    // The session step stays committed (the ciphertext was genuine); only the content is unreadable.
                    recordUndecryptable(opened, e);
                    return Result.UNDECRYPTABLE;
                }
                if (plaintext.sessionReset() != null) {
                    // Decrypting it already replaced our session with the sender's new one. Only the device it
                    // names tells its user; our own devices' copies of a reset we sent say nothing new.
                    if (!ownAccountId.equals(opened.sourceAccountId()) && plaintext.sessionReset() == ownDeviceId) {
                        state.sessionResets().received(opened.sourceAccountId(), opened.sourceDeviceId(), clock.millis());
                    }
                    return Result.CONTROL;
                }
                byte[] senderKey = plaintext.senderAccessKeyBytes();
                if (senderKey != null && !ownAccountId.equals(opened.sourceAccountId())) {
                    // From now on we may answer this contact sealed.
                    state.sealedSender().rememberContactAccessKey(opened.sourceAccountId(), senderKey);
                }
                if (plaintext.deviceNotice() != null) {
                    recordDeviceNotice(opened, plaintext);
                    return Result.MESSAGE;
                }
                if (ownAccountId.equals(opened.sourceAccountId())) {
                    // A sibling no device told us about: the user is warned (once per device).
                    state.ownDevices().unannounced(opened.sourceDeviceId(), opened.serverTimestamp());
                }
                if (extras.handle(opened, plaintext, group)) {
                    return group ? Result.MESSAGE : Result.NOTICE;
                }
                // Only our own devices may claim a message is a copy of one we sent.
                // A message of attachments alone has no text; the history keeps an empty one.
                String body = plaintext.body() == null ? "" : plaintext.body();
                long entry;
                if (ownAccountId.equals(opened.sourceAccountId()) && plaintext.destination() != null) {
                    entry = state.history().syncCopy(opened.guid(), plaintext.destination(), opened.sourceDeviceId(),
                            body, plaintext.sentAt(), opened.serverTimestamp());
                } else {
                    entry = state.history().received(opened.guid(), opened.sourceHandle(), opened.sourceAccountId(),
                            opened.sourceDeviceId(), body, plaintext.sentAt(), opened.serverTimestamp());
                }
                state.historyAttachments().save(entry, AttachmentTransfer.toJson(plaintext.attachmentList()));
                return Result.MESSAGE;
            });
        } catch (DecryptionException e) {
            // The decrypt rolled back and changed nothing; record the failure so it is reported and not retried.
            return state.database().sql(c -> {
                if (state.seenEnvelopes().contains(envelope.guid())) {
                    return Result.DUPLICATE;
                }
                state.seenEnvelopes().markSeen(envelope.guid());
                // A sealed envelope names no sender; once its certificate was validated, libsignal's error
                // does (an invalid certificate does not, and then there is nobody to reset with).
                Envelope known = envelope;
                if (envelope.sourceAccountId() == null
                        && e.getCause() instanceof org.signal.libsignal.metadata.ProtocolException p
                        && p.getSender() != null) {
                    known = new Envelope(envelope.guid(), p.getSender(), p.getSenderDevice(),
                            state.contacts().handleOf(p.getSender()).orElse(null), envelope.destinationDeviceId(),
                            envelope.type(), envelope.content(), envelope.clientTimestamp(), envelope.serverTimestamp());
                }
                recordUndecryptable(known, e);
                if (repairable(e.reason()) && known.sourceAccountId() != null) {
                    // Sent after the ack by the session repair, at most once an hour per device.
                    state.sessionResets().request(known.sourceAccountId(), known.sourceDeviceId(), clock.millis(),
                            RESET_INTERVAL_MS);
                }
                return Result.UNDECRYPTABLE;
            });
        }
    }

    /**
     * Only a sibling device may announce a change to our devices; a notice from anyone else, or naming an
     * impossible device, is dropped (the envelope is still marked seen and acked).
     */
    private void recordDeviceNotice(Envelope envelope, Plaintext plaintext) {
        Plaintext.DeviceNotice notice = plaintext.deviceNotice();
        boolean fromSibling = ownAccountId.equals(envelope.sourceAccountId());
        boolean valid = (Plaintext.DeviceNotice.ADDED.equals(notice.change())
                || Plaintext.DeviceNotice.REMOVED.equals(notice.change()))
                && notice.deviceId() >= 1 && notice.deviceId() <= Limits.MAX_DEVICES_PER_ACCOUNT;
        if (fromSibling && valid) {
            state.ownDevices().noticed(notice.change(), notice.deviceId(), notice.registrationId(),
                    envelope.sourceDeviceId(), plaintext.sentAt());
        }
    }

    private SealedCrypto.Opened openSealed(Envelope envelope) throws DecryptionException {
        byte[] root = state.sealedSender().trustRoot().orElseThrow(() -> new DecryptionException(
                DecryptionException.Reason.INVALID_SENDER, "a sealed message arrived but this device has pinned no"
                        + " sealed-sender trust root, so its sender cannot be verified", null));
        int ownDeviceId = state.accounts().load().map(a -> a.deviceId() == null ? 0 : a.deviceId()).orElse(0);
        return new SealedCrypto(state.protocolStore(), ownAccountId, ownDeviceId)
                .decrypt(root, envelope.content(), envelope.serverTimestamp());
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
