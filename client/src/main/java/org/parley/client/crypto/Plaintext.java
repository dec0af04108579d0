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
 * <p>{@code deviceNotice} is set only on a notice one device of an account sends its sibling devices
 * when it linked or removed a device; such a message has no body. Receivers accept it only from their
 * own account.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Plaintext(int v, String body, long sentAt, String destination, DeviceNotice deviceNotice) {
    public static final int VERSION = 1;

    public static Plaintext message(String body, long sentAt) {
        return new Plaintext(VERSION, body, sentAt, null, null);
    }

    public static Plaintext syncCopy(String body, long sentAt, String destination) {
        return new Plaintext(VERSION, body, sentAt, destination, null);
    }

    public static Plaintext deviceNotice(DeviceNotice notice, long sentAt) {
        return new Plaintext(VERSION, null, sentAt, null, notice);
    }

    /**
     * A device was added to ({@code "added"}) or removed from ({@code "removed"}) the account, by the
     * device that sends the notice, with the registration id the server gave for it.
     */
    public record DeviceNotice(String change, int deviceId, int registrationId) {
        public static final String ADDED = "added";
        public static final String REMOVED = "removed";
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
        if (plaintext.body() == null && plaintext.deviceNotice() == null) {
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
