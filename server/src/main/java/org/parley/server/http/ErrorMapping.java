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
import org.parley.protocol.ErrorResponse;
import org.parley.protocol.InvalidCodeResponse;
import org.parley.protocol.MismatchedDevicesResponse;
import org.parley.protocol.StaleDevicesResponse;
import org.parley.server.errors.Forbidden;
import org.parley.server.errors.InvalidRequest;
import org.parley.server.errors.InvalidSignature;
import org.parley.server.errors.InvalidState;
import org.parley.server.errors.MismatchedDevices;
import org.parley.server.errors.NotFound;
import org.parley.server.errors.OutsidePolicy;
import org.parley.server.errors.PayloadTooLarge;
import org.parley.server.errors.RateLimited;
import org.parley.server.errors.ReplacedDevices;
import org.parley.server.errors.SenderFailed;
import org.parley.server.errors.ServiceException;
import org.parley.server.errors.SessionExpired;
import org.parley.server.errors.Unauthenticated;
import org.parley.server.errors.WrongCode;
import org.parley.protocol.Json;
import org.parley.server.storage.StorageException;

/**
 * Turns every failure into {@code {error, message}} JSON, and is the one place that picks a status
 * code: services throw {@link ServiceException}s that say what went wrong in the domain's terms
 * (with the data a client needs, such as the mismatched devices or when to retry), and
 * {@link #statusOf} maps each kind to its status. Client mistakes keep their 4xx; anything
 * unexpected becomes a 500 whose body says only that, while the stack trace goes to the server log.
 * Errors Helidon raises before routing (malformed HTTP, oversized entities) go through the direct
 * handlers so they are JSON too.
 */
public final class ErrorMapping {
    private static final System.Logger LOG = System.getLogger(ErrorMapping.class.getName());

    private ErrorMapping() {}

    /** The operator endpoints' challenge (RFC 6750): which scheme to authenticate with. */
    private static final String OPERATOR_CHALLENGE = "Bearer realm=\"parley-operator\"";

    public static void register(HttpRouting.Builder routing) {
        routing.error(ServiceException.class, (req, res, e) -> send(res, e));
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

    /** Writes {@code e} as its JSON error, for the few places that answer before routing (a WebSocket upgrade). */
    public static void send(ServerResponse res, ServiceException e) {
        write(res, toHttp(e));
    }

    /** The status of each kind of refusal; the exhaustive switch makes a new kind pick one here. */
    static Status statusOf(ServiceException e) {
        return switch (e) {
            case InvalidRequest x -> Status.BAD_REQUEST_400;
            case Unauthenticated x -> Status.UNAUTHORIZED_401;
            case Forbidden x -> Status.FORBIDDEN_403;
            case WrongCode x -> Status.FORBIDDEN_403;
            case NotFound x -> Status.NOT_FOUND_404;
            case MismatchedDevices x -> Status.CONFLICT_409;
            case InvalidState x -> Status.CONFLICT_409;
            case ReplacedDevices x -> Status.GONE_410;
            case SessionExpired x -> Status.GONE_410;
            case InvalidSignature x -> Status.UNPROCESSABLE_CONTENT_422;
            case OutsidePolicy x -> Status.UNPROCESSABLE_CONTENT_422;
            case PayloadTooLarge x -> Status.REQUEST_ENTITY_TOO_LARGE_413;
            case RateLimited x -> Status.TOO_MANY_REQUESTS_429;
            case SenderFailed x -> Status.SERVICE_UNAVAILABLE_503;
        };
    }

    /** The body and headers: {@code {error, message}}, plus the data some kinds carry (docs/protocol.md). */
    static ApiException toHttp(ServiceException e) {
        Object body = switch (e) {
            case MismatchedDevices x -> new MismatchedDevicesResponse(x.error(), x.getMessage(), x.mismatches());
            case ReplacedDevices x -> new StaleDevicesResponse(x.error(), x.getMessage(), x.stale());
            case WrongCode x -> new InvalidCodeResponse(x.error(), x.getMessage(), x.attemptsLeft());
            case OutsidePolicy x -> new Refusal(x.error(), x.getMessage(), x.requestId());
            default -> new ErrorResponse(e.error(), e.getMessage());
        };
        Map<String, String> headers = switch (e) {
            // Whole seconds, at least one: a client must not retry at once.
            case RateLimited x -> Map.of("Retry-After", Long.toString(Math.max(1, x.retryAfter().toSeconds())));
            case Unauthenticated x when x.party() == Unauthenticated.Party.OPERATOR ->
                    Map.of("WWW-Authenticate", OPERATOR_CHALLENGE);
            default -> Map.of();
        };
        return new ApiException(statusOf(e), e.error(), e.getMessage(), body, headers);
    }

    /** The body of the 422 a refused legal intake gets: the usual fields and the id it is recorded under. */
    record Refusal(String error, String message, long id) {}

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
