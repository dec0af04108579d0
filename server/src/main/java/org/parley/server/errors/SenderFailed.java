// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.errors;

/** The verification code could not be handed to the sender (its command failed or timed out). */
public final class SenderFailed extends ServiceException {
    private static final long serialVersionUID = 1L;

    public SenderFailed(String message) {
        super("sender_failed", message);
    }
}
