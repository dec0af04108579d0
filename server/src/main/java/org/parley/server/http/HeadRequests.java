// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.http;

import io.helidon.http.HttpPrologue;
import io.helidon.http.Method;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;
import io.helidon.webserver.http.ServerResponse;

/**
 * HEAD as RFC 9110 (section 9.3.2) defines it: the status and headers GET would give, and no
 * content. Helidon 4.5 routes a HEAD request only to handlers registered for HEAD (none here, so
 * every HEAD was a 404) and writes whatever body a handler sends, which desynchronises a client or
 * proxy that reuses the connection.
 *
 * <p>The filter therefore routes a HEAD request as a GET, inside a scope that marks the exchange
 * as HEAD; {@link #send} is the one way our handlers write a body, and in that scope it sends the
 * length GET would have sent ({@code Content-Length}, which RFC 9110 section 8.6 allows only with
 * exactly that value) and no content. A body written some other way would not be caught here:
 * {@code HeadRequestTest} sends HEAD to every GET route.
 */
public final class HeadRequests {
    private static final ScopedValue<Boolean> HEAD = ScopedValue.newInstance();

    private HeadRequests() {}

    /** Adds the filter; register it before every other filter, so that they all see the GET. */
    public static void register(HttpRouting.Builder routing) {
        routing.addFilter(HeadRequests::filter);
    }

    private static void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
        HttpPrologue prologue = req.prologue();
        if (prologue.method() != Method.HEAD) {
            chain.proceed();
            return;
        }
        // RoutingRequest.prologue(...) is how Helidon's own rerouting changes the request line.
        req.prologue(HttpPrologue.create(prologue.rawProtocol(), prologue.protocol(), prologue.protocolVersion(),
                Method.GET, prologue.uriPath(), prologue.query(), prologue.fragment()));
        ScopedValue.where(HEAD, Boolean.TRUE).run(chain::proceed);
    }

    /** True while the current thread answers a HEAD request. */
    public static boolean active() {
        return HEAD.isBound();
    }

    /** Sends {@code body}; when answering HEAD, sends only its length. */
    public static void send(ServerResponse res, byte[] body) {
        if (active()) {
            res.headers().contentLength(body.length);
            res.send();
        } else {
            res.send(body);
        }
    }
}
