// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.http;

import io.helidon.common.buffers.DataReader;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;

/**
 * Reads a request body off the connection. Helidon parses the body's framing (Content-Length,
 * chunked encoding) only as a handler reads it, and reports a broken one as whatever its parser
 * threw: a {@code NumberFormatException} for a chunk size {@code ZZ}, {@code -1} or empty, a
 * {@code DataReader.InsufficientDataAvailableException} for a body that ends before its
 * Content-Length. Every failure while reading the body is about the bytes the client sent (or its
 * connection), never about the server, so each becomes a 400 here, not a 500 with a stack trace.
 *
 * <p>The answer closes the connection ({@code Connection: close}): after a broken framing the
 * server cannot know where the next request would start.
 */
final class BodyReader {
    private BodyReader() {}

    /** Up to {@code limit} bytes of the body (more only exist if it is longer). */
    static byte[] readAtMost(ServerRequest request, int limit) {
        try (InputStream in = request.content().inputStream()) {
            return in.readNBytes(limit);
        } catch (IOException | RuntimeException e) {
            throw broken(e);
        }
    }

    static ApiException broken(Throwable e) {
        String message = endedEarly(e)
                ? "the request body ended before the length its headers announce; send the whole body, as long as"
                        + " Content-Length says, or end a chunked body with a 0-size chunk"
                : "the request body's framing is invalid; use either Content-Length or Transfer-Encoding: chunked,"
                        + " with each chunk size in hexadecimal followed by CRLF";
        return new ApiException(Status.BAD_REQUEST_400, "invalid_request", message, null, Map.of("Connection", "close"));
    }

    private static boolean endedEarly(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof DataReader.InsufficientDataAvailableException) {
                return true;
            }
        }
        return false;
    }
}
