// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.http.websocket;

import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.http1.Http1Config;
import io.helidon.webserver.http1.Http1ConnectionSelector;
import io.helidon.webserver.websocket.WsConfig;

/**
 * WebSockets whose client frames are checked against RFC 6455 before Helidon reads them (see
 * {@link FrameCheck} for what Helidon 4.5 lets through).
 */
public final class CheckedWebSockets {
    private CheckedWebSockets() {}

    /**
     * Makes the server speak HTTP/1.1 through one connection selector, with Helidon's default
     * HTTP/1.1 settings, whose WebSocket upgrade goes through the check; {@code config} is the
     * WebSocket protocol's (Helidon's WebSocket connection reads its settings from the protocols).
     *
     * <p>Protocol discovery is off, so that Helidon creates no HTTP/1.1 selector of its own beside
     * this one: with a single selector Helidon hands every connection to it at once, as it did
     * before, and so answers a request line it cannot take (e.g. {@code HTTP/1.0}) with a 400
     * rather than closing the connection because no selector claimed it.
     */
    public static void install(WebServerConfig.Builder server, WsConfig config) {
        server.protocolsDiscoverServices(false)
                .addProtocol(config)
                .addConnectionSelector(Http1ConnectionSelector.builder()
                        .config(Http1Config.create())
                        .addUpgrader(new CheckedWsUpgrader(config))
                        .build());
    }
}
