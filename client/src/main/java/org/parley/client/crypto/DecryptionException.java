// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.client.crypto;

/**
 * A ciphertext could not be decrypted. Checked, because every caller has to decide what happens to the
 * envelope: Parley reports it and acks it so one bad envelope cannot block the queue.
 */
public final class DecryptionException extends Exception {
    private static final long serialVersionUID = 1L;

    /** Why, in the terms a user report needs; the libsignal exception stays the cause. */
    public enum Reason {
        /** This ciphertext was already decrypted (its message key is gone). */
        DUPLICATE,
        /** A normal message from a device we hold no session with (we lost state, or it did). */
        NO_SESSION,
        /** A first message naming a prekey we no longer hold, or a replayed one. */
        UNKNOWN_PREKEY,
        /** Corrupt, forged or truncated, or our plaintext format is not in it. */
        INVALID_MESSAGE,
        /** A sealed message whose sender certificate does not validate (forged, expired, another trust root). */
        INVALID_SENDER
    }

    private final Reason reason;

    public DecryptionException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
