// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.http;

import io.helidon.http.Status;
import java.util.Map;
import org.parley.protocol.ErrorResponse;

/**
 * An HTTP-level error at the edge (a body that is not JSON, too large, of the wrong media type), and
 * the form {@link ErrorMapping} writes every error in. Services never see it: they throw
 * {@link org.parley.server.errors.ServiceException}s. {@code body} replaces the default body when an
 * error carries more fields (409, 410, 403 invalid_code); {@code headers} adds e.g. Retry-After.
 */
final class ApiException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final transient Status status;
    private final String error;
    private final transient Object body;
    private final transient Map<String, String> headers;

    ApiException(Status status, String error, String message) {
        this(status, error, message, null, Map.of());
    }

    ApiException(Status status, String error, String message, Object body, Map<String, String> headers) {
        super(message, null, false, false);
        this.status = status;
        this.error = error;
        this.body = body;
        this.headers = Map.copyOf(headers);
    }

    static ApiException badRequest(String message) {
        return new ApiException(Status.BAD_REQUEST_400, "invalid_request", message);
    }




    Status status() {
        return status;
    }

    String error() {
        return error;
    }

    Object body() {
        return body != null ? body : new ErrorResponse(error, getMessage());
    }

    Map<String, String> headers() {
        return headers;
    }
}
