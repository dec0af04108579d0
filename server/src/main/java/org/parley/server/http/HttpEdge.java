// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.http;

import io.helidon.http.HeaderValues;
import io.helidon.webserver.CloseConnectionException;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;
import io.helidon.webserver.websocket.WsConfig;
import org.parley.server.http.websocket.CheckedWebSockets;

/**
 * What every request meets before any feature sees it: the places where HTTP as the RFCs define
 * it, and as clients get it wrong, is handled once for the whole server rather than per route.
 */
public final class HttpEdge {
    private HttpEdge() {}

    /** Registers the edge filters; call before any feature adds its routes or filters. */
    public static void register(HttpRouting.Builder routing) {
        routing.addFilter(HttpEdge::closeWhenSaid);
        HeadRequests.register(routing);
        routing.addFilter(WebSocketKeyCheck::filter);
    }

    /**
     * The transport under the routes: WebSockets whose client frames are checked against RFC 6455
     * ({@link CheckedWebSockets}), and {@code TCP_NODELAY} on every accepted connection. Helidon
     * leaves Nagle's algorithm on; then the end of a response of some kilobytes waited for the
     * client's delayed ACK, up to 40 ms: on a loopback keep-alive connection the 15 KB policy took
     * 47 ms per request (about 340 requests/s on 16 connections, against 30,000 for the 15-byte
     * health check), and about 1 ms with {@code TCP_NODELAY}.
     */
    public static void transport(WebServerConfig.Builder server, WsConfig webSockets) {
        server.connectionOptions(options -> options.tcpNoDelay(true));
        CheckedWebSockets.install(server, webSockets);
    }

    /**
     * A response that says {@code Connection: close} closes the connection, as RFC 9112 section 9.6
     * requires. Helidon 4.5 sends the header (when the client asked for it, or when we did because
     * the request's framing is broken) but then waits for another request on the same connection,
     * where it would read the rest of a broken body as the next request line.
     */
    private static void closeWhenSaid(FilterChain chain, RoutingRequest req, RoutingResponse res) {
        chain.proceed();
        if (res.isSent() && res.headers().contains(HeaderValues.CONNECTION_CLOSE)) {
            throw new CloseConnectionException("the response said Connection: close");
        }
    }
}
