// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.errors;

/** The action does not fit the current state of what it acts on (a legal request already approved). */
public final class InvalidState extends ServiceException {
    private static final long serialVersionUID = 1L;

    public InvalidState(String message) {
        super("invalid_state", message);
    }

    /** With a more specific code than {@code invalid_state} (the recipient is on Parley: {@code on_parley}). */
    public InvalidState(String error, String message) {
        super(error, message);
    }
}
