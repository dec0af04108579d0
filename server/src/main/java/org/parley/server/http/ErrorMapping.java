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
import org.parley.protocol.Frame;
import org.parley.protocol.InvalidCodeResponse;
import org.parley.protocol.MismatchedDevicesResponse;
import org.parley.protocol.SealedRefusedResponse;
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
import org.parley.server.storage.StorageBusy;
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
        routing.error(StorageBusy.class, (req, res, e) -> write(res, toHttp(busy())));
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
            case Unauthenticated x when !x.accounts().isEmpty() ->
                    new SealedRefusedResponse(x.error(), x.getMessage(), x.accounts());
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

    /** A saturated but healthy database: the client waits a moment (never a 503 for load). */
    private static RateLimited busy() {
        return new RateLimited("the server is busy: its database has no free connection; retry after the given time",
                java.time.Duration.ofSeconds(1));
    }

    // ------------------------------------------------------------------ the delivery WebSocket's send answers

    /** The {@code send-result} frame of an accepted send: what the HTTP route answers with 200. */
    public static Frame.SendResult sendAccepted(String id, org.parley.protocol.SendMessageResponse response) {
        return new Frame.SendResult(id, Status.OK_200.code(), response, null);
    }

    /**
     * The {@code send-result} frame for a send the service refused: the status and body the HTTP
     * route would have answered with, and for 429 the {@code Retry-After} seconds.
     */
    public static Frame.SendResult sendRefused(String id, ServiceException e) {
        ApiException http = toHttp(e);
        Frame.SendError error = switch (e) {
            case MismatchedDevices x -> new Frame.SendError(x.error(), x.getMessage(), x.mismatches(), null, null);
            case ReplacedDevices x -> new Frame.SendError(x.error(), x.getMessage(), null, x.stale(), null);
            case RateLimited x -> new Frame.SendError(x.error(), x.getMessage(), null, null,
                    Math.max(1, x.retryAfter().toSeconds()));
            default -> new Frame.SendError(e.error(), e.getMessage(), null, null, null);
        };
        return new Frame.SendResult(id, http.status().code(), null, error);
    }

    /**
     * The {@code send-result} frame for a send that failed for another reason: a saturated database
     * is a 429 like any backpressure; a database failure is the HTTP route's 503, anything else its
     * 500 (logged here, as the HTTP route does).
     */
    public static Frame.SendResult sendFailed(String id, RuntimeException e) {
        return switch (e) {
            case ServiceException x -> sendRefused(id, x);
            case StorageBusy x -> sendRefused(id, busy());
            case StorageException x -> {
                LOG.log(System.Logger.Level.ERROR, "storage failure: " + x.getMessage(), x);
                yield new Frame.SendResult(id, Status.SERVICE_UNAVAILABLE_503.code(), null, new Frame.SendError(
                        "storage_unavailable", "the server could not reach its database; retry later", null, null, null));
            }
            default -> {
                LOG.log(System.Logger.Level.ERROR, "unexpected failure of a WebSocket send", e);
                yield new Frame.SendResult(id, Status.INTERNAL_SERVER_ERROR_500.code(), null,
                        new Frame.SendError("internal", "internal server error", null, null, null));
            }
        };
    }

    /** The {@code send-result} frame for a {@code send} frame that is not a valid send (the HTTP route's 400). */
    public static Frame.SendResult sendInvalid(String id, String message) {
        return new Frame.SendResult(id, Status.BAD_REQUEST_400.code(), null,
                new Frame.SendError("invalid_request", message, null, null, null));
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
