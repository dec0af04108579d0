// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.client.crypto;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.IOException;
import org.parley.protocol.Json;

/**
 * What travels inside a ciphertext, never visible to the server:
 * {@code {"v":1,"body":"<text>","sentAt":<ms>}}.
 *
 * <p>{@code destination} is set only on the copy a sender encrypts for its own other devices (a sync
 * copy), naming the handle the message went to; it is omitted otherwise.
 *
 * <p>{@code senderAccessKey} (sealed sender) is the sender's unidentified access key, base64 of 16 bytes:
 * whoever receives a message from us may from then on send us sealed messages. Omitted when the sender
 * has none.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Plaintext(int v, String body, long sentAt, String destination, String senderAccessKey) {
    public static final int VERSION = 1;

    public static Plaintext message(String body, long sentAt) {
        return new Plaintext(VERSION, body, sentAt, null, null);
    }

    public static Plaintext syncCopy(String body, long sentAt, String destination) {
        return new Plaintext(VERSION, body, sentAt, destination, null);
    }

    /** The same plaintext carrying our access key (null: none). */
    public Plaintext withSenderAccessKey(byte[] key) {
        return new Plaintext(v, body, sentAt, destination,
                key == null ? null : java.util.Base64.getEncoder().encodeToString(key));
    }

    /** The sender's access key, or null when absent or not 16 bytes of base64. */
    public byte[] senderAccessKeyBytes() {
        if (senderAccessKey == null) {
            return null;
        }
        try {
            byte[] key = java.util.Base64.getDecoder().decode(senderAccessKey);
            return key.length == org.parley.protocol.AccessKeySettings.KEY_BYTES ? key : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    public byte[] encode() {
        try {
            return Json.lenient().writeValueAsBytes(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode a plaintext", e);
        }
    }

    /** Parses a decrypted payload; rejects other versions and a missing body. */
    public static Plaintext decode(byte[] bytes) throws DecryptionException {
        Plaintext plaintext;
        try {
            plaintext = Json.lenient().readValue(bytes, Plaintext.class);
        } catch (IOException e) {
            throw new DecryptionException(DecryptionException.Reason.INVALID_MESSAGE,
                    "the decrypted message is not Parley's plaintext format (" + bytes.length + " bytes)", null);
        }
        if (plaintext.v() != VERSION) {
            throw new DecryptionException(DecryptionException.Reason.INVALID_MESSAGE,
                    "the message uses plaintext version " + plaintext.v() + "; this client reads version " + VERSION, null);
        }
        if (plaintext.body() == null) {
            throw new DecryptionException(DecryptionException.Reason.INVALID_MESSAGE, "the message has no body", null);
        }
        return plaintext;
    }

    /** Message text never goes into logs or exception messages. */
    @Override
    public String toString() {
        return "Plaintext[v=" + v + ", sentAt=" + sentAt + ", body=<" + (body == null ? 0 : body.length()) + " chars>]";
    }
}
