// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.client.error;

/** A libsignal operation failed: a bundle whose signature does not verify, a session that cannot encrypt. */
public final class ParleyCryptoException extends ParleyException {
    private static final long serialVersionUID = 1L;

    public ParleyCryptoException(String message, Throwable cause) {
        super(message, cause);
    }
}
