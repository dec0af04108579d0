// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.client.error;

import java.util.Optional;

/**
 * The server answered with an error status. {@code error} is the stable machine code of the protocol
 * ({@code invalid_code}, {@code rate_limited}, …), {@code serverMessage} the sentence meant for people,
 * and {@code body} the raw JSON so that callers can read endpoint-specific fields (mismatched devices,
 * attempts remaining).
 */
public final class ParleyApiException extends ParleyException {
    private static final long serialVersionUID = 1L;

    private final int status;
    private final String error;
    private final String serverMessage;
    private final String body;
    private final Long retryAfterSeconds;

    public ParleyApiException(int status, String error, String serverMessage, String body, Long retryAfterSeconds) {
        super(serverMessage + " (HTTP " + status + " " + error + ")");
        this.status = status;
        this.error = error;
        this.serverMessage = serverMessage;
        this.body = body;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public ParleyApiException(int status, String error, String serverMessage, String body) {
        this(status, error, serverMessage, body, null);
    }

    public int status() {
        return status;
    }

    public String error() {
        return error;
    }

    public String serverMessage() {
        return serverMessage;
    }

    public String body() {
        return body;
    }

    /** The {@code Retry-After} header of a 429, when the server sent one. */
    public Optional<Long> retryAfterSeconds() {
        return Optional.ofNullable(retryAfterSeconds);
    }
}
