// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.client.crypto;

import java.util.Optional;
import java.util.UUID;
import org.parley.client.error.ParleyCryptoException;
import org.parley.protocol.MessageType;
import org.signal.libsignal.metadata.InvalidMetadataMessageException;
import org.signal.libsignal.metadata.InvalidMetadataVersionException;
import org.signal.libsignal.metadata.ProtocolDuplicateMessageException;
import org.signal.libsignal.metadata.ProtocolInvalidKeyIdException;
import org.signal.libsignal.metadata.ProtocolNoSessionException;
import org.signal.libsignal.metadata.ProtocolException;
import org.signal.libsignal.metadata.SealedSessionCipher;
import org.signal.libsignal.metadata.SelfSendException;
import org.signal.libsignal.metadata.certificate.CertificateValidator;
import org.signal.libsignal.metadata.certificate.InvalidCertificateException;
import org.signal.libsignal.metadata.certificate.SenderCertificate;
import org.signal.libsignal.metadata.protocol.UnidentifiedSenderMessageContent;
import org.signal.libsignal.protocol.InvalidKeyException;
import org.signal.libsignal.protocol.SignalProtocolAddress;
import org.signal.libsignal.protocol.UntrustedIdentityException;
import org.signal.libsignal.protocol.ecc.ECPublicKey;
import org.signal.libsignal.protocol.message.CiphertextMessage;
import org.signal.libsignal.protocol.state.SignalProtocolStore;

/**
 * Sealed sender with libsignal's {@link SealedSessionCipher}: the session ciphertext and the sender
 * certificate travel inside one more layer encrypted to the recipient's identity key, so the server
 * relays it without learning who sent it. The recipient validates the certificate against the trust
 * root it pinned at registration, which is what makes the sender it reads verified.
 */
public final class SealedCrypto {
    private final SignalProtocolStore store;
    private final String ownAccountId;
    private final int ownDeviceId;

    public SealedCrypto(SignalProtocolStore store, String ownAccountId, int ownDeviceId) {
        this.store = store;
        this.ownAccountId = ownAccountId;
        this.ownDeviceId = ownDeviceId;
    }

    /** The sender and the plaintext of a sealed envelope, after the certificate validated. */
    /**
     * The sender and the plaintext of a sealed envelope, after the certificate validated.
     *
     * @param senderKey the sealed content was a sender-key (group) message, decrypted with the sender's
     *     sender key rather than a session
     */
    public record Opened(String senderAccountId, int senderDeviceId, byte[] plaintext, String senderHandle,
                         boolean senderKey) {}

    /** Encrypts for an existing session and seals it with our sender certificate. */
    public EncryptedMessage encrypt(SignalProtocolAddress address, byte[] certificate, byte[] plaintext) {
        SealedSessionCipher cipher = cipher();
        return sealed(address, cipher, () -> cipher.encrypt(address, new SenderCertificate(certificate), plaintext));
    }

    /**
     * Seals an already encrypted message for one device: a group's sender-key message, encrypted once
     * and sealed per recipient device, goes out with content type SENDER_KEY and the group id inside the
     * sealed layer, where only the recipient reads them.
     */
    public EncryptedMessage seal(SignalProtocolAddress address, byte[] certificate, CiphertextMessage message,
                                 byte[] groupId) {
        SealedSessionCipher cipher = cipher();
        return sealed(address, cipher, () -> cipher.encrypt(address, new UnidentifiedSenderMessageContent(message,
                new SenderCertificate(certificate), UnidentifiedSenderMessageContent.CONTENT_HINT_DEFAULT,
                Optional.ofNullable(groupId))));
    }

    /** One sealing step of libsignal, with the checked exceptions it may throw. */
    @FunctionalInterface
    private interface Sealing {
        byte[] seal() throws InvalidCertificateException, InvalidKeyException, UntrustedIdentityException;
    }

    /** Runs {@code sealing} for {@code address} and wraps its result; its failures become our own. */
    private static EncryptedMessage sealed(SignalProtocolAddress address, SealedSessionCipher cipher, Sealing sealing) {
        try {
            byte[] sealed = sealing.seal();
            return new EncryptedMessage(address.getDeviceId(), cipher.getRemoteRegistrationId(address),
                    MessageType.SEALED, sealed);
        } catch (InvalidCertificateException e) {
            throw new ParleyCryptoException("the server's sender certificate does not parse", e);
        } catch (InvalidKeyException e) {
            throw new ParleyCryptoException("the identity key of device " + address.getDeviceId() + " is invalid", e);
        } catch (UntrustedIdentityException e) {
            throw new ParleyCryptoException("identity of device " + address.getDeviceId() + " refused", e);
        }
    }

    /**
     * Opens a sealed envelope, validating its sender certificate against {@code trustRoot} at
     * {@code serverTimestamp} (when the server accepted it), and decrypts the session message inside.
     */
    public Opened decrypt(byte[] trustRoot, byte[] content, long serverTimestamp) throws DecryptionException {
        CertificateValidator validator;
        try {
            validator = new CertificateValidator(new ECPublicKey(trustRoot));
        } catch (InvalidKeyException e) {
            throw new ParleyCryptoException("the pinned sealed-sender trust root does not parse", e);
        }
        try {
            SealedSessionCipher.DecryptionResult result = cipher().decrypt(validator, content, serverTimestamp);
            return new Opened(result.getSenderUuid(), result.getDeviceId(), result.getPaddedMessage(),
                    result.getSenderE164().orElse(null),
                    result.getCiphertextMessageType() == CiphertextMessage.SENDERKEY_TYPE);
        } catch (InvalidMetadataMessageException e) {
            // Thrown for a certificate that fails validation (forged, expired) and for a broken outer layer.
            throw new DecryptionException(DecryptionException.Reason.INVALID_SENDER,
                    "the sealed message's sender could not be verified: " + describe(e), e);
        } catch (InvalidMetadataVersionException | SelfSendException e) {
            throw new DecryptionException(DecryptionException.Reason.INVALID_MESSAGE,
                    "the sealed message is invalid: " + e.getMessage(), e);
        } catch (ProtocolDuplicateMessageException e) {
            throw new DecryptionException(DecryptionException.Reason.DUPLICATE, "message already decrypted", e);
        } catch (ProtocolNoSessionException e) {
            throw new DecryptionException(DecryptionException.Reason.NO_SESSION, "no session with the sending device", e);
        } catch (ProtocolInvalidKeyIdException e) {
            throw new DecryptionException(DecryptionException.Reason.UNKNOWN_PREKEY,
                    "the message uses a prekey this device no longer holds", e);
        } catch (ProtocolException e) {
            throw new DecryptionException(DecryptionException.Reason.INVALID_MESSAGE,
                    "the ciphertext is invalid: " + e.getMessage(), e);
        }
    }

    private static String describe(Exception e) {
        Throwable cause = e.getCause() != null ? e.getCause() : e;
        return cause.getMessage() != null ? cause.getMessage() : cause.getClass().getSimpleName();
    }

    private SealedSessionCipher cipher() {
        return new SealedSessionCipher(store, UUID.fromString(ownAccountId), null, ownDeviceId);
    }
}
