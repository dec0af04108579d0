// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.http;

import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;
import java.util.Base64;
import java.util.List;

/**
 * Refuses a WebSocket upgrade whose {@code Sec-WebSocket-Key} is not what RFC 6455 section 4.1
 * asks for: the base64 encoding of 16 bytes. Helidon 4.5 decodes the key only while writing the
 * {@code 101} answer, after the filters, and lets the decoder's {@code IllegalArgumentException}
 * out as a 500; this filter answers such a request 400 before that.
 */
final class WebSocketKeyCheck {
    private static final HeaderName KEY = HeaderNames.create("Sec-WebSocket-Key");
    private static final int NONCE_BYTES = 16;

    private WebSocketKeyCheck() {}

    static void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
        if (isWebSocketUpgrade(req) && !validKey(req)) {
            ApiException refused = ApiException.badRequest("Sec-WebSocket-Key must be one header with the base64"
                    + " encoding of 16 random bytes (RFC 6455 section 4.1), as WebSocket clients send by themselves");
            HttpJson.send(res, refused.status(), refused.body());
            return;
        }
        chain.proceed();
    }

    private static boolean isWebSocketUpgrade(RoutingRequest req) {
        return req.headers().contains(HeaderNames.UPGRADE)
                && req.headers().get(HeaderNames.UPGRADE).allValues().stream().anyMatch(v -> v.strip().equalsIgnoreCase("websocket"));
    }

    private static boolean validKey(RoutingRequest req) {
        if (!req.headers().contains(KEY)) {
            return true; // Helidon refuses a missing key with a 400 of its own before routing
        }
        List<String> values = req.headers().get(KEY).allValues();
        if (values.size() != 1) {
            return false;
        }
        try {
            return Base64.getDecoder().decode(values.getFirst().strip()).length == NONCE_BYTES;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
