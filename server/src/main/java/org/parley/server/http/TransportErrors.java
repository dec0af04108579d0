// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.helidon.http.DirectHandler;
import io.helidon.http.HeaderNames;
import io.helidon.http.ServerResponseHeaders;
import io.helidon.http.Status;
import io.helidon.webserver.http.DirectHandlers;
import java.nio.charset.StandardCharsets;
import org.parley.protocol.ErrorResponse;
import org.parley.protocol.Json;

/**
 * The answers to errors Helidon raises outside our routing: a request it cannot parse, a body over
 * the limit, an unsupported protocol version. Each is the usual {@code {error, message}} JSON, in
 * our own wording (Helidon's messages can echo request bytes), with no body when answering HEAD.
 *
 * <p>Helidon 4.5 reports some requests it cannot parse as internal errors: a method with a
 * character a token may not have ({@code POST/v1/x HTTP/1.1}), a head cut off before its blank
 * line. Its parser throws an exception it does not classify, and the connection's catch-all turns
 * that into a 500 (and a stack trace at WARNING) with no request line, since none was read. Such
 * an event is the client's fault, so it is answered 400 here. The cause is not passed to a direct
 * handler; Helidon still logs it at DEBUG under {@code io.helidon.webserver.http1.Http1Connection}.
 */
final class TransportErrors implements DirectHandler {
    private static final TransportErrors INSTANCE = new TransportErrors();

    private TransportErrors() {}

    static DirectHandlers directHandlers() {
        DirectHandlers.Builder builder = DirectHandlers.builder();
        for (EventType type : EventType.values()) {
            builder.addHandler(type, INSTANCE);
        }
        return builder.build();
    }

    @Override
    public TransportResponse handle(TransportRequest request, EventType type, Status status,
                                    ServerResponseHeaders headers, String message) {
        Status answer = clientFault(request, type, status) ? Status.BAD_REQUEST_400 : status;
        TransportResponse.Builder response = TransportResponse.builder()
                .status(answer)
                .headers(headers)
                .header(HeaderNames.CONTENT_TYPE, "application/json");
        if (!"HEAD".equals(request.method()) && !HeadRequests.active()) {
            response.entity(json(new ErrorResponse(ErrorMapping.codeFor(answer), messageFor(status, answer))));
        }
        return response.build();
    }

    /**
     * A request Helidon could not parse, and the two refusals HTTP words as 5xx although they name
     * the client's choice: a protocol version other than 1.1 (Helidon's 505) and a transfer coding
     * other than chunked (its 501, which RFC 9112 section 6.1 suggests). This API answers every
     * client's fault with a 4xx (docs/protocol.md, "Errors"), so these are 400 here too.
     */
    static boolean clientFault(TransportRequest request, EventType type, Status status) {
        return unparsedRequest(request, type, status) || status.code() == 501 || status.code() == 505;
    }

    private static String messageFor(Status original, Status answer) {
        return switch (original.code()) {
            case 501 -> "the only Transfer-Encoding supported is chunked; send the body with it or with Content-Length";
            case 505 -> "only HTTP/1.1 is supported; send the request as HTTP/1.1";
            default -> ErrorMapping.clientMessageFor(answer);
        };
    }

    /** An internal error before a request line was read: Helidon's parser gave up on the client's bytes. */
    static boolean unparsedRequest(TransportRequest request, EventType type, Status status) {
        return type == EventType.INTERNAL_ERROR && status.code() == 500 && request.method().isEmpty();
    }

    private static byte[] json(ErrorResponse body) {
        try {
            return Json.strict().writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            return "{\"error\":\"internal\",\"message\":\"internal server error\"}".getBytes(StandardCharsets.UTF_8);
        }
    }
}
