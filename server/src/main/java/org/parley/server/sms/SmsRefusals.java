// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.sms;

import java.time.Duration;
import org.parley.server.errors.Forbidden;
import org.parley.server.errors.InvalidRequest;
import org.parley.server.errors.InvalidState;
import org.parley.server.errors.NotFound;
import org.parley.server.errors.RateLimited;
import org.parley.server.errors.SenderFailed;
import org.parley.server.errors.ServiceException;

/**
 * Why the SMS feature refuses a request, as the domain exceptions every feature throws; the edge
 * ({@code http.ErrorMapping}) alone turns them into statuses. Messages name the rule and the fix,
 * never the number.
 */
final class SmsRefusals {
    private SmsRefusals() {}

    /** The server does not offer SMS fallback ({@code sms.gateway: none}). */
    static ServiceException disabled(String message) {
        return new Forbidden("sms_disabled", message);
    }

    /** The account has not turned SMS fallback on. */
    static ServiceException notOptedIn(String message) {
        return new Forbidden("sms_not_enabled", message);
    }

    /** The recipient is not a phone number, or the text cannot be sent. */
    static InvalidRequest invalid(String message) {
        return new InvalidRequest(message);
    }

    /** The recipient is on Parley: the message goes end-to-end encrypted instead. */
    static ServiceException onParley(String message) {
        return new InvalidState("on_parley", message);
    }

    /** No such SMS among the caller's. */
    static ServiceException notFound(String message) {
        return new NotFound(message);
    }

    /** A per-account, per-number or per-address limit; the caller may retry after {@code seconds}. */
    static ServiceException rateLimited(String message, long seconds) {
        return new RateLimited(message, Duration.ofSeconds(Math.max(1, seconds)));
    }

    /** The gateway could not take a verification code, which must go now. */
    static ServiceException unavailable(String message) {
        return new SenderFailed(message);
    }
}
