// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.errors;

/** The verification session was used already or its code expired: start a new one. */
public final class SessionExpired extends ServiceException {
    private static final long serialVersionUID = 1L;

    public SessionExpired(String message) {
        super("session_expired", message);
    }

    /** With a more specific code (an expired or used provisioning code: {@code provisioning_code_expired}). */
    public SessionExpired(String error, String message) {
        super(error, message);
    }
}
