// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.http;

import io.helidon.http.HeaderNames;
import io.helidon.http.HttpException;
import io.helidon.http.RequestException;
import io.helidon.http.Status;
import io.helidon.webserver.http.DirectHandlers;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerResponse;
import java.util.Map;
import org.parley.server.storage.StorageException;

/**
 * Turns every failure into {@code {error, message}} JSON. Client mistakes keep their 4xx; anything
 * unexpected becomes a 500 whose body says only that, while the stack trace goes to the server log.
 * Errors Helidon raises before routing (malformed HTTP, oversized entities) go through the direct
 * handlers so they are JSON too.
 */
public final class ErrorMapping {
    private static final System.Logger LOG = System.getLogger(ErrorMapping.class.getName());

    private ErrorMapping() {}

    public static void register(HttpRouting.Builder routing) {
        routing.error(ApiException.class, (req, res, e) -> write(res, e));
        routing.error(RequestException.class, (req, res, e) -> {
            Status status = e.status();
            write(res, new ApiException(status, codeFor(status), clientMessageFor(status)));
        });
        routing.error(HttpException.class, (req, res, e) -> {
            Status status = e.status();
            if (status.code() >= 500) {
                LOG.log(System.Logger.Level.ERROR, "HTTP failure " + status.code(), e);
            }
            write(res, new ApiException(status, codeFor(status), clientMessageFor(status)));
        });
        routing.error(StorageException.class, (req, res, e) -> {
            LOG.log(System.Logger.Level.ERROR, "storage failure: " + e.getMessage(), e);
            write(res, new ApiException(Status.SERVICE_UNAVAILABLE_503, "storage_unavailable",
                    "the server could not reach its database; retry later"));
        });
        routing.error(Exception.class, (req, res, e) -> {
            LOG.log(System.Logger.Level.ERROR, "unexpected failure in " + req.prologue().method().text() + " handler", e);
            write(res, new ApiException(Status.INTERNAL_SERVER_ERROR_500, "internal", "internal server error"));
        });
    }

    private static void write(ServerResponse res, ApiException e) {
        if (res.isSent()) {
            return;
        }
        e.headers().forEach((name, value) -> res.headers().set(HeaderNames.create(name), value));
        HttpJson.send(res, e.status(), e.body());
    }

    /** JSON bodies for errors that happen before a request reaches routing (see {@link TransportErrors}). */
    public static DirectHandlers directHandlers() {
        return TransportErrors.directHandlers();
    }

    private static final Map<Integer, String> CODES = Map.of(
            400, "invalid_request",
            401, "unauthorized",
            403, "forbidden",
            404, "not_found",
            405, "not_found",
            413, "payload_too_large",
            415, "unsupported_media_type",
            431, "invalid_request",
            505, "invalid_request");

    static String codeFor(Status status) {
        if (status.code() >= 500 && status.code() != 505) {
            return "internal";
        }
        return CODES.getOrDefault(status.code(), "invalid_request");
    }

    /** Our own wording: Helidon's messages can echo request data, which must not reach logs or clients. */
    static String clientMessageFor(Status status) {
        return switch (status.code()) {
            case 404, 405 -> "no such endpoint; see docs/protocol.md";
            case 413 -> "the request body is too large";
            case 431 -> "the request headers are too large";
            case 505 -> "only HTTP/1.1 is supported";
            default -> status.code() >= 500 ? "internal server error" : "malformed HTTP request";
        };
    }
}
