// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.helidon.http.HeaderNames;
import io.helidon.common.media.type.MediaTypes;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.parley.protocol.InvalidHandleException;
import org.parley.protocol.Json;
import org.parley.protocol.Limits;
import org.parley.protocol.MessageTooLargeException;

/**
 * Reads request bodies into protocol records and writes responses. Every way a body can be wrong
 * (not JSON, wrong shape, a field out of range, too big) becomes a 4xx {@link ApiException} here,
 * so that no handler can turn a client's mistake into a 500.
 */
public final class HttpJson {
    private HttpJson() {}

    public static <T> T read(ServerRequest request, Class<T> type) {
        requireJson(request);
        byte[] body = readBody(request);
        if (body.length == 0) {
            throw new ApiException(Status.BAD_REQUEST_400, "invalid_json", "the request needs a JSON body");
        }
        try {
            T value = Json.strict().readValue(body, type);
            if (value == null) {
                throw new ApiException(Status.BAD_REQUEST_400, "invalid_json", "the body must be a JSON object, not null");
            }
            return value;
        } catch (JsonMappingException e) {
            throw mappingError(e);
        } catch (JsonProcessingException e) {
            throw new ApiException(Status.BAD_REQUEST_400, "invalid_json", "the body is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ApiException mappingError(JsonMappingException e) {
        Throwable cause = e.getCause();
        if (cause instanceof MessageTooLargeException tooLarge) {
            return new ApiException(Status.REQUEST_ENTITY_TOO_LARGE_413, "payload_too_large", tooLarge.getMessage());
        }
        if (cause instanceof InvalidHandleException invalid) {
            return new ApiException(Status.BAD_REQUEST_400, "invalid_handle", invalid.getMessage());
        }
        if (cause instanceof IllegalArgumentException illegal) {
            return ApiException.badRequest(illegal.getMessage());
        }
        String where = path(e);
        if (e instanceof UnrecognizedPropertyException unknown) {
            return new ApiException(Status.BAD_REQUEST_400, "invalid_json",
                    "unknown field '" + unknown.getPropertyName() + "'" + (where.isEmpty() ? "" : " in " + where));
        }
        // Jackson's own messages name our classes; say where the body went wrong in the client's terms.
        return new ApiException(Status.BAD_REQUEST_400, "invalid_json", where.isEmpty()
                ? "the body must be a JSON object with the fields documented in docs/protocol.md"
                : "field '" + where + "' is missing or has the wrong type");
    }

    /** The JSON path of a mapping failure, e.g. {@code messages[0].content}. */
    private static String path(JsonMappingException e) {
        StringBuilder out = new StringBuilder();
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                if (!out.isEmpty()) {
                    out.append('.');
                }
                out.append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                out.append('[').append(ref.getIndex()).append(']');
            }
        }
        return out.toString();
    }

    private static void requireJson(ServerRequest request) {
        request.headers().contentType().ifPresent(type -> {
            if (!type.mediaType().subtype().equalsIgnoreCase("json")) {
                throw new ApiException(Status.UNSUPPORTED_MEDIA_TYPE_415, "unsupported_media_type",
                        "send the body as application/json, not " + type.mediaType().text());
            }
        });
    }

    private static byte[] readBody(ServerRequest request) {
        if (!request.content().hasEntity()) {
            return new byte[0];
        }
        byte[] body = BodyReader.readAtMost(request, Limits.MAX_BODY_BYTES + 1);
        if (body.length > Limits.MAX_BODY_BYTES) {
            throw new ApiException(Status.REQUEST_ENTITY_TOO_LARGE_413, "payload_too_large",
                    "a request body is at most " + Limits.MAX_BODY_BYTES + " bytes");
        }
        return body;
    }

    public static void send(ServerResponse response, Status status, Object body) {
        byte[] bytes;
        try {
            bytes = Json.strict().writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise a " + body.getClass().getSimpleName(), e);
        }
        response.status(status);
        response.headers().contentType(MediaTypes.APPLICATION_JSON);
        response.headers().set(HeaderNames.CACHE_CONTROL, "no-store");
        HeadRequests.send(response, bytes);
    }

    public static void ok(ServerResponse response, Object body) {
        send(response, Status.OK_200, body);
    }
}
