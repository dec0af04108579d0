// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.protocol;

/** A single ciphertext over {@link Limits#MAX_CIPHERTEXT_BYTES}; the server answers 413 rather than 400. */
public final class MessageTooLargeException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public MessageTooLargeException(int size) {
        super("a message is at most " + Limits.MAX_CIPHERTEXT_BYTES + " bytes of ciphertext per device, this one has " + size);
    }
}
