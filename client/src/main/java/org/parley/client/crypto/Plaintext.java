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
 * copy), naming the handle the message went to; it is omitted otherwise. {@code sessionReset} is set
 * only on a session reset ({@link #sessionReset}), which has no body.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Plaintext(int v, String body, long sentAt, String destination, Integer sessionReset) {
    public static final int VERSION = 1;

    public static Plaintext message(String body, long sentAt) {
        return new Plaintext(VERSION, body, sentAt, null, null);
    }

    public static Plaintext syncCopy(String body, long sentAt, String destination) {
        return new Plaintext(VERSION, body, sentAt, destination, null);
    }

    /**
     * A session reset, without a body: the sender could not decrypt a message from the recipient's
     * device {@code deviceId}, archived its session with that device and started a new one (this
     * message is its first, a PreKeySignalMessage, so the recipient's session is replaced too). The
     * recipient's device {@code deviceId} should tell its user that messages it sent may be lost.
     */
    public static Plaintext sessionReset(int deviceId, long sentAt) {
        return new Plaintext(VERSION, null, sentAt, null, deviceId);
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
        if (plaintext.body() == null && plaintext.sessionReset() == null) {
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
