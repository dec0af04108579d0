// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.errors;

/**
 * A request the server refuses, said in the domain's terms: what went wrong and the data a client
 * needs to fix it. Services throw these and know nothing of HTTP; the edge
 * ({@code http.ErrorMapping}) is the one place that picks a status code and writes
 * {@code {error, message}} JSON for each kind.
 *
 * <p>{@link #error()} is the stable machine-readable code clients switch on (docs/protocol.md);
 * the message is for people and names the value, the rule and the fix.
 */
public abstract sealed class ServiceException extends RuntimeException
        permits Forbidden, InvalidRequest, InvalidSignature, InvalidState, MismatchedDevices, NotFound,
        OutsidePolicy, PayloadTooLarge, RateLimited, ReplacedDevices, SenderFailed, SessionExpired, Unauthenticated, WrongCode {
    private static final long serialVersionUID = 1L;

    private final String error;

    ServiceException(String error, String message) {
        // No stack trace: these are answers to clients, thrown often, never bugs to debug.
        super(message, null, false, false);
        this.error = error;
    }

    /** The code clients see as {@code error}. */
    public final String error() {
        return error;
    }
}
