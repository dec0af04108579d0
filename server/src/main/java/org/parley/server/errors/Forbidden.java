// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.errors;

/**
 * Authenticated, but not allowed: {@code forbidden} (the role may not use the endpoint) or a rule
 * such as {@code two_person_rule}.
 */
public final class Forbidden extends ServiceException {
    private static final long serialVersionUID = 1L;

    public Forbidden(String error, String message) {
        super(error, message);
    }
}
