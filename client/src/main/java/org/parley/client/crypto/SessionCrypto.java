// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.client.crypto;

import java.util.List;
import java.util.OptionalInt;
import org.parley.client.error.ParleyCryptoException;
import org.parley.protocol.DeviceBundle;
import org.parley.protocol.MessageType;
import org.signal.libsignal.protocol.DuplicateMessageException;
import org.signal.libsignal.protocol.InvalidKeyException;
import org.signal.libsignal.protocol.InvalidKeyIdException;
import org.signal.libsignal.protocol.InvalidMessageException;
import org.signal.libsignal.protocol.InvalidVersionException;
import org.signal.libsignal.protocol.LegacyMessageException;
import org.signal.libsignal.protocol.NoSessionException;
import org.signal.libsignal.protocol.ReusedBaseKeyException;
import org.signal.libsignal.protocol.SessionBuilder;
import org.signal.libsignal.protocol.SessionCipher;
import org.signal.libsignal.protocol.SignalProtocolAddress;
import org.signal.libsignal.protocol.UntrustedIdentityException;
import org.signal.libsignal.protocol.message.CiphertextMessage;
import org.signal.libsignal.protocol.message.PreKeySignalMessage;
import org.signal.libsignal.protocol.message.SignalMessage;
import org.signal.libsignal.protocol.state.SessionRecord;
import org.signal.libsignal.protocol.state.SessionStore;
import org.signal.libsignal.protocol.state.SignalProtocolStore;

/**
 * Per-device Signal sessions: start one from a fetched bundle (PQXDH), encrypt, decrypt. The libsignal
 * address of a remote device is {@code (accountId, deviceId)}.
 *
 * <p>All state changes go through the store; callers that must commit a decrypt together with other
 * writes wrap the call in a {@code StateDatabase} transaction. The sender wraps all encrypts of one send
 * in one transaction, so that they cost one commit and roll back together.
 */
public final class SessionCrypto {
    private final SignalProtocolStore store;

    public SessionCrypto(SignalProtocolStore store) {
        this.store = store;
    }

    public static SignalProtocolAddress address(String accountId, int deviceId) {
        return new SignalProtocolAddress(accountId, deviceId);
    }

    /** True when a session that can encrypt exists for the device. */
    public boolean hasSession(SignalProtocolAddress address) {
        return store.containsSession(address);
    }

    /** The registration id the device had when the session was made, or empty without a session. */
    public OptionalInt remoteRegistrationId(SignalProtocolAddress address) {
        SessionRecord record = store.loadSession(address);
        return record == null || !record.hasSenderChain()
                ? OptionalInt.empty()
                : OptionalInt.of(record.getRemoteRegistrationId());
    }

    /** Starts a new session with {@code accountId}'s device from its bundle; replaces any existing one. */
    public void startSession(String accountId, DeviceBundle bundle) {
        SignalProtocolAddress address = address(accountId, bundle.deviceId());
        try {
            new SessionBuilder(store, address).process(WireKeys.bundle(bundle));
        } catch (InvalidKeyException e) {
            throw new ParleyCryptoException("the prekey bundle of device " + bundle.deviceId()
                    + " does not verify against its identity key", e);
        } catch (UntrustedIdentityException e) {
            // The store trusts every key (TOFU with change reporting), so this means a store bug.
            throw new ParleyCryptoException("identity of device " + bundle.deviceId() + " refused", e);
        }
    }

    /** Encrypts for an existing session; the first messages of a session are PreKeySignalMessages. */
    public EncryptedMessage encrypt(SignalProtocolAddress address, byte[] plaintext) {
        SessionCapture sessions = new SessionCapture(store, address);
        SessionCipher cipher = new SessionCipher(sessions, store, store, store, store, address);
        try {
            CiphertextMessage message = cipher.encrypt(plaintext);
            MessageType type = switch (message.getType()) {
                case CiphertextMessage.PREKEY_TYPE -> MessageType.PREKEY;
                case CiphertextMessage.WHISPER_TYPE -> MessageType.SIGNAL;
                default -> throw new IllegalStateException("libsignal produced message type " + message.getType());
            };
            // The session the encrypt just stored names the registration id; SessionCipher's own
            // getRemoteRegistrationId() would load and parse the session from the store twice more.
            int registrationId = sessions.stored != null
                    ? sessions.stored.getRemoteRegistrationId()
                    : cipher.getRemoteRegistrationId();
            return new EncryptedMessage(address.getDeviceId(), registrationId, type, message.serialize());
        } catch (NoSessionException e) {
            throw new ParleyCryptoException("no session with device " + address.getDeviceId(), e);
        } catch (UntrustedIdentityException e) {
            throw new ParleyCryptoException("identity of device " + address.getDeviceId() + " refused", e);
        }
    }

    /** The store's sessions, remembering the record libsignal stores for {@code address} during one encrypt. */
    private static final class SessionCapture implements SessionStore {
        private final SessionStore sessions;
        private final SignalProtocolAddress address;
        private SessionRecord stored;

        SessionCapture(SessionStore sessions, SignalProtocolAddress address) {
            this.sessions = sessions;
            this.address = address;
        }

        @Override
        public SessionRecord loadSession(SignalProtocolAddress a) {
            return sessions.loadSession(a);
        }

        @Override
        public List<SessionRecord> loadExistingSessions(List<SignalProtocolAddress> addresses) throws NoSessionException {
            return sessions.loadExistingSessions(addresses);
        }

        @Override
        public List<Integer> getSubDeviceSessions(String name) {
            return sessions.getSubDeviceSessions(name);
        }

        @Override
        public void storeSession(SignalProtocolAddress a, SessionRecord record) {
            sessions.storeSession(a, record);
            if (a.equals(address)) {
                stored = record;
            }
        }

        @Override
        public boolean containsSession(SignalProtocolAddress a) {
            return sessions.containsSession(a);
        }

        @Override
        public void deleteSession(SignalProtocolAddress a) {
            sessions.deleteSession(a);
            if (a.equals(address)) {
                stored = null;
            }
        }

        @Override
        public void deleteAllSessions(String name) {
            sessions.deleteAllSessions(name);
            if (name.equals(address.getName())) {
                stored = null;
            }
        }
    }

    /** Decrypts a ciphertext from the device at {@code address}, advancing (and storing) its session. */
    public byte[] decrypt(SignalProtocolAddress address, MessageType type, byte[] content) throws DecryptionException {
        SessionCipher cipher = new SessionCipher(store, address);
        try {
            return switch (type) {
                case PREKEY -> cipher.decrypt(new PreKeySignalMessage(content));
                case SIGNAL -> cipher.decrypt(new SignalMessage(content));
                case SENDER_KEY -> throw new InvalidMessageException("a sender-key message is not a session message");
                case SEALED -> throw new DecryptionException(DecryptionException.Reason.INVALID_MESSAGE,
                        "a sealed envelope is opened by SealedCrypto", null);
            };
        } catch (DuplicateMessageException e) {
            throw new DecryptionException(DecryptionException.Reason.DUPLICATE, "message already decrypted", e);
        } catch (NoSessionException e) {
            throw new DecryptionException(DecryptionException.Reason.NO_SESSION, "no session with the sending device", e);
        } catch (InvalidKeyIdException | ReusedBaseKeyException e) {
            throw new DecryptionException(DecryptionException.Reason.UNKNOWN_PREKEY,
                    "the message uses a prekey this device no longer holds", e);
        } catch (InvalidMessageException | InvalidVersionException | LegacyMessageException | InvalidKeyException e) {
            throw new DecryptionException(DecryptionException.Reason.INVALID_MESSAGE,
                    "the ciphertext is invalid: " + e.getMessage(), e);
        } catch (UntrustedIdentityException e) {
            throw new DecryptionException(DecryptionException.Reason.INVALID_MESSAGE, "identity refused", e);
        }
    }
}
