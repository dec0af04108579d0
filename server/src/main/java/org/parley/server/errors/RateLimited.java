// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.errors;

import java.time.Duration;

/** Too many of something in a window; the client may retry after {@code retryAfter}. */
public final class RateLimited extends ServiceException {
    private static final long serialVersionUID = 1L;

    private final transient Duration retryAfter;

    public RateLimited(String message, Duration retryAfter) {
        super("rate_limited", message);
        this.retryAfter = retryAfter;
    }

    public Duration retryAfter() {
        return retryAfter;
    }
}
