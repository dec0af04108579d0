// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.http;

import io.helidon.http.Status;
import java.util.Map;
import org.parley.protocol.ErrorResponse;

/**
 * An error a client caused, answered as {@code {error, message}} JSON with a 4xx status. Handlers
 * throw it; {@link ErrorMapping} writes it. {@code body} replaces the default body when an error
 * carries more fields (409, 410, 403 invalid_code); {@code headers} adds e.g. Retry-After.
 */
public final class ApiException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final transient Status status;
    private final String error;
    private final transient Object body;
    private final transient Map<String, String> headers;

    public ApiException(Status status, String error, String message) {
        this(status, error, message, null, Map.of());
    }

    public ApiException(Status status, String error, String message, Object body, Map<String, String> headers) {
        super(message, null, false, false);
        this.status = status;
        this.error = error;
        this.body = body;
        this.headers = Map.copyOf(headers);
    }

    public static ApiException badRequest(String message) {
        return new ApiException(Status.BAD_REQUEST_400, "invalid_request", message);
    }

    public static ApiException notFound(String message) {
        return new ApiException(Status.NOT_FOUND_404, "not_found", message);
    }

    public static ApiException unauthorized(String message) {
        return new ApiException(Status.UNAUTHORIZED_401, "unauthorized", message);
    }

    public static ApiException rateLimited(String message, long retryAfterSeconds) {
        return new ApiException(Status.TOO_MANY_REQUESTS_429, "rate_limited", message, null,
                Map.of("Retry-After", Long.toString(Math.max(1, retryAfterSeconds))));
    }

    public Status status() {
        return status;
    }

    public String error() {
        return error;
    }

    public Object body() {
        return body != null ? body : new ErrorResponse(error, getMessage());
    }

    public Map<String, String> headers() {
        return headers;
    }
}
