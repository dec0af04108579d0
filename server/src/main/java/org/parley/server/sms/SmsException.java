// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.sms;

/**
 * Why the SMS feature refused a request, in domain terms; {@link SmsRoutes} alone turns a reason into
 * an HTTP status. The message is for the client: it names the rule and the fix, never the number.
 */
public final class SmsException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** The kinds of refusal. */
    public enum Reason {
        /** The server does not offer SMS fallback (sms.gateway: none). */
        DISABLED,
        /** The account has not turned SMS fallback on. */
        NOT_OPTED_IN,
        /** The recipient is not a phone number, or the text cannot be sent. */
        INVALID,
        /** The recipient is on Parley: send end-to-end encrypted instead. */
        ON_PARLEY,
        /** No such SMS among the caller's. */
        NOT_FOUND,
        /** A per-account, per-number or per-address limit. */
        RATE_LIMITED,
        /** The gateway could not take it (verification codes, which must go now). */
        UNAVAILABLE
    }

    private final Reason reason;
    private final long retryAfterSeconds;

    SmsException(Reason reason, String message) {
        this(reason, message, 0);
    }

    SmsException(Reason reason, String message, long retryAfterSeconds) {
        super(message, null, false, false);
        this.reason = reason;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public Reason reason() {
        return reason;
    }

    /** Seconds until a rate limit lets the caller try again; 0 for other reasons. */
    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
