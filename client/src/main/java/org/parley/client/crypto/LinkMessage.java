// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.client.crypto;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.parley.protocol.Json;
import org.signal.libsignal.protocol.InvalidMessageException;
import org.signal.libsignal.protocol.ecc.ECPrivateKey;
import org.signal.libsignal.protocol.ecc.ECPublicKey;

/**
 * What a device of an account hands a new device to link it, sealed with libsignal's HPKE to the new
 * device's ephemeral key, with the provisioning id as associated data (so a message meant for one
 * socket cannot be replayed to another). The server relays only the ciphertext.
 *
 * @param identityKeyPair the account's serialised identity key pair: every device of an account shares it
 * @param devices         the devices the linking device knows of, end-to-end (the new device trusts these)
 * @param accessKey       the account's sealed-sender access key, which its contacts hold (null: none yet)
 * @param sealedSenderRoot the sealed-sender trust root the linking device pinned (null: none yet)
 */
public record LinkMessage(int v, String accountId, String handle, byte[] identityKeyPair, String provisioningCode,
                          List<String> serverUrls, int linkingDeviceId, List<KnownDevice> devices, byte[] accessKey,
                          byte[] sealedSenderRoot) {
    public static final int VERSION = 1;
    /** HPKE info string: binds the ciphertext to this use. */
    static final String INFO = "parley-link-v1";

    /** A device of the account and its registration id. */
    public record KnownDevice(int deviceId, int registrationId) {}

    public byte[] seal(ECPublicKey newDeviceKey, String provisioningId) {
        try {
            return newDeviceKey.seal(Json.lenient().writeValueAsBytes(this), INFO, aad(provisioningId));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode the link message", e);
        }
    }

    /** Opens a sealed message; throws {@link DecryptionException} when it was not sealed to this key and id. */
    public static LinkMessage open(byte[] sealed, ECPrivateKey ephemeral, String provisioningId) throws DecryptionException {
        byte[] plain;
        try {
            plain = ephemeral.open(sealed, INFO, aad(provisioningId));
        } catch (InvalidMessageException | IllegalArgumentException e) {
            throw new DecryptionException(DecryptionException.Reason.INVALID_MESSAGE,
                    "the link message was not sealed to this device's link code", e);
        }
        try {
            LinkMessage message = Json.lenient().readValue(plain, LinkMessage.class);
            if (message.v() != VERSION) {
                throw new DecryptionException(DecryptionException.Reason.INVALID_MESSAGE,
                        "the link message has version " + message.v() + "; this client reads " + VERSION, null);
            }
            return message;
        } catch (IOException e) {
            throw new DecryptionException(DecryptionException.Reason.INVALID_MESSAGE, "the link message is unreadable", e);
        }
    }

    private static byte[] aad(String provisioningId) {
        return provisioningId.getBytes(StandardCharsets.UTF_8);
    }

    /** Holds the identity private key and a credential: never print them. */
    @Override
    public String toString() {
        return "LinkMessage[accountId=" + accountId + ", linkingDevice=" + linkingDeviceId + "]";
    }
}
