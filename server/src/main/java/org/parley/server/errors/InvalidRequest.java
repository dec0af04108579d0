// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.errors;

/**
 * The request is malformed or names an impossible value; {@code error} is {@code invalid_request}
 * unless a more precise code applies ({@code invalid_handle}, {@code invalid_json}).
 */
public final class InvalidRequest extends ServiceException {
    private static final long serialVersionUID = 1L;

    public InvalidRequest(String message) {
        this("invalid_request", message);
    }

    public InvalidRequest(String error, String message) {
        super(error, message);
    }

    /** A handle that does not parse (an e-mail address or E.164 number). */
    public static InvalidRequest handle(String message) {
        return new InvalidRequest("invalid_handle", message);
    }
}
