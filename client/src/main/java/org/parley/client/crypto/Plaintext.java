// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.client.crypto;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.IOException;
import java.util.List;
import org.parley.protocol.Json;

/**
 * What travels inside a ciphertext, never visible to the server:
 * {@code {"v":1,"body":"<text>","sentAt":<ms>}}.
 *
 * <p>{@code destination} is set only on the copy a sender encrypts for its own other devices (a sync
 * copy), naming the handle the message went to; it is omitted otherwise.
 *
 * <p>{@code attachments} (omitted when there are none) points at encrypted blobs on the server, with
 * their keys ({@link AttachmentPointer}); a message with attachments may have no {@code body}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Plaintext(int v, String body, long sentAt, String destination, List<AttachmentPointer> attachments) {
    public static final int VERSION = 1;

    public static Plaintext message(String body, long sentAt) {
        return new Plaintext(VERSION, body, sentAt, null, null);
    }

    /** A message with attachments; {@code body} may be null. */
    public static Plaintext message(String body, long sentAt, List<AttachmentPointer> attachments) {
        return new Plaintext(VERSION, body, sentAt, null, emptyToNull(attachments));
    }

    public static Plaintext syncCopy(String body, long sentAt, String destination) {
        return new Plaintext(VERSION, body, sentAt, destination, null);
    }

    public static Plaintext syncCopy(String body, long sentAt, String destination, List<AttachmentPointer> attachments) {
        return new Plaintext(VERSION, body, sentAt, destination, emptyToNull(attachments));
    }

    /** The attachments; empty when there are none. */
    public List<AttachmentPointer> attachmentList() {
        return attachments == null ? List.of() : attachments;
    }

    private static List<AttachmentPointer> emptyToNull(List<AttachmentPointer> attachments) {
        return attachments == null || attachments.isEmpty() ? null : List.copyOf(attachments);
    }

    public byte[] encode() {
        try {
            return Json.lenient().writeValueAsBytes(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode a plaintext", e);
        }
    }

    /** Parses a decrypted payload; rejects other versions, and a missing body unless attachments are present. */
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
        if (plaintext.body() == null && plaintext.attachmentList().isEmpty()) {
            throw new DecryptionException(DecryptionException.Reason.INVALID_MESSAGE, "the message has no body", null);
        }
        return plaintext;
    }

    /** Message text never goes into logs or exception messages. */
    @Override
    public String toString() {
        return "Plaintext[v=" + v + ", sentAt=" + sentAt + ", body=<" + (body == null ? 0 : body.length()) + " chars>, attachments="
                + attachmentList().size() + "]";
    }
}
