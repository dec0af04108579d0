// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.errors;

/** What the request names does not exist (an account, a device, a session, a legal request). */
public final class NotFound extends ServiceException {
    private static final long serialVersionUID = 1L;

    public NotFound(String message) {
        super("not_found", message);
    }
}
