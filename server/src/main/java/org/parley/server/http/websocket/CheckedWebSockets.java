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
     * Adds {@code config} as the WebSocket protocol, and an HTTP/1.1 connection selector, with
     * Helidon's default HTTP/1.1 settings, whose WebSocket upgrade goes through the check. Custom
     * selectors come before the ones Helidon creates from the protocols, so this one takes every
     * HTTP/1.1 connection; the WebSocket protocol stays configured because Helidon's WebSocket
     * connection reads its settings from there.
     */
    public static void install(WebServerConfig.Builder server, WsConfig config) {
        server.addProtocol(config)
                .addConnectionSelector(Http1ConnectionSelector.builder()
                        .config(Http1Config.create())
                        .addUpgrader(new CheckedWsUpgrader(config))
                        .build());
    }
}
