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
 * <p>{@code deviceNotice} is set only on a notice one device of an account sends its sibling devices
 * when it linked or removed a device; such a message has no body. Receivers accept it only from their
 * own account.
 *
 * <p>{@code group} marks a group message or update, {@code senderKeyDistribution} carries a member's
 * sender key (base64 of libsignal's distribution message), {@code receipt} a delivery or read
 * receipt and {@code typing} ("started" or "stopped") a typing indicator; those kinds have no body.
 * {@link #encode} pads to {@link Padding#BUCKET}-byte multiples and {@link #decode} strips it.
 *
 * <p>{@code sessionReset} is set only on a session reset ({@link #sessionReset}), which has no body.
 *
 * <p>{@code senderAccessKey} (sealed sender) is the sender's unidentified access key, base64 of 16 bytes:
 * whoever receives a message from us may from then on send us sealed messages. Omitted when the sender
 * has none.
 *
 * <p>{@code attachments} (omitted when there are none) points at encrypted blobs on the server, with
 * their keys ({@link AttachmentPointer}); a message with attachments may have no {@code body}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Plaintext(int v, String body, long sentAt, String destination, DeviceNotice deviceNotice,
                        GroupContext group, String senderKeyDistribution, Receipt receipt, String typing,
                        String senderAccessKey, Integer sessionReset,
                        List<AttachmentPointer> attachments) {
    public static final int VERSION = 1;

    public Plaintext(int v, String body, long sentAt, String destination) {
        this(v, body, sentAt, destination, null, null, null, null, null, null, null, null);
    }

    public static Plaintext message(String body, long sentAt) {
        return new Plaintext(VERSION, body, sentAt, null, null, null, null, null, null, null, null, null);
    }

    public static Plaintext syncCopy(String body, long sentAt, String destination) {
        return new Plaintext(VERSION, body, sentAt, destination, null, null, null, null, null, null, null, null);
    }

    /** A message with attachments; {@code body} may be null. */
    public static Plaintext message(String body, long sentAt, List<AttachmentPointer> attachments) {
        return new Plaintext(VERSION, body, sentAt, null, null, null, null, null, null, null, null, emptyToNull(attachments));
    }

    public static Plaintext syncCopy(String body, long sentAt, String destination, List<AttachmentPointer> attachments) {
        return new Plaintext(VERSION, body, sentAt, destination, null, null, null, null, null, null, null, emptyToNull(attachments));
    }

    /** The attachments; empty when there are none. */
    public List<AttachmentPointer> attachmentList() {
        return attachments == null ? List.of() : attachments;
    }

    private static List<AttachmentPointer> emptyToNull(List<AttachmentPointer> attachments) {
        return attachments == null || attachments.isEmpty() ? null : List.copyOf(attachments);
    }

    /**
     * A session reset, without a body: the sender could not decrypt a message from the recipient's
     * device {@code deviceId}, archived its session with that device and started a new one (this
     * message is its first, a PreKeySignalMessage, so the recipient's session is replaced too). The
     * recipient's device {@code deviceId} should tell its user that messages it sent may be lost.
     */
    public static Plaintext sessionReset(int deviceId, long sentAt) {
        return new Plaintext(VERSION, null, sentAt, null, null, null, null, null, null, null, deviceId, null);
    }

    /** The same plaintext carrying our access key (null: none). */
    public Plaintext withSenderAccessKey(byte[] key) {
        return new Plaintext(v, body, sentAt, destination, deviceNotice, group, senderKeyDistribution, receipt, typing,
                key == null ? null : java.util.Base64.getEncoder().encodeToString(key), sessionReset, attachments);
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

    public static Plaintext deviceNotice(DeviceNotice notice, long sentAt) {
        return new Plaintext(VERSION, null, sentAt, null, notice, null, null, null, null, null, null, null);
    }

    /**
     * A device was added to ({@code "added"}) or removed from ({@code "removed"}) the account, by the
     * device that sends the notice, with the registration id the server gave for it.
     */
    public record DeviceNotice(String change, int deviceId, int registrationId) {
        public static final String ADDED = "added";
        public static final String REMOVED = "removed";
    }

    /** A text in a group (encrypted with the sender key, so one ciphertext serves every member device). */
    public static Plaintext groupMessage(String groupId, String body, long sentAt) {
        return new Plaintext(VERSION, body, sentAt, null, null, GroupContext.ref(groupId), null, null, null, null, null, null);
    }

    /** A group's new state, sent 1:1 to every member device. */
    public static Plaintext groupUpdate(GroupContext group, long sentAt) {
        return new Plaintext(VERSION, null, sentAt, null, null, group, null, null, null, null, null, null);
    }

    /** This device's sender key for a group, sent 1:1 to each member device before it needs it. */
    public static Plaintext senderKey(String groupId, String distribution, long sentAt) {
        return new Plaintext(VERSION, null, sentAt, null, null, GroupContext.ref(groupId), distribution, null, null, null, null, null);
    }

    public static Plaintext receipt(Receipt receipt, long sentAt, String destination) {
        return new Plaintext(VERSION, null, sentAt, destination, null, null, null, receipt, null, null, null, null);
    }

    public static Plaintext typing(String action, long sentAt, String destination) {
        return new Plaintext(VERSION, null, sentAt, destination, null, null, null, null, action, null, null, null);
    }

    /** The JSON, padded (see {@link Padding}). */
    public byte[] encode() {
        try {
            return Padding.pad(Json.lenient().writeValueAsBytes(this));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode a plaintext", e);
        }
    }

    /** Parses a decrypted payload; rejects other versions and a missing body on a text message. */
    public static Plaintext decode(byte[] padded) throws DecryptionException {
        Plaintext plaintext;
        byte[] bytes = Padding.strip(padded);
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
        boolean bodyless = plaintext.deviceNotice() != null
                || (plaintext.group() != null && plaintext.group().members() != null)
                || plaintext.senderKeyDistribution() != null || plaintext.receipt() != null || plaintext.typing() != null
                || plaintext.sessionReset() != null || !plaintext.attachmentList().isEmpty();
        if (plaintext.body() == null && !bodyless) {
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
