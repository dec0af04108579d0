// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.http.websocket;

import io.helidon.http.HttpPrologue;
import io.helidon.http.WritableHeaders;
import io.helidon.webserver.ConnectionContext;
import io.helidon.webserver.http1.spi.Http1RoutedUpgrade;
import io.helidon.webserver.http1.spi.Http1RoutedUpgrader;
import io.helidon.webserver.http1.spi.Http1UpgradeResult;
import io.helidon.webserver.spi.ServerConnection;
import io.helidon.webserver.websocket.WsConfig;
import io.helidon.webserver.websocket.WsUpgrader;
import io.helidon.websocket.WsSession;
import java.util.Optional;

/**
 * Helidon's WebSocket upgrade, unchanged (the handshake, through the HTTP filters), except that
 * the upgraded connection reads its frames through a {@link FrameCheck}. Helidon's upgrader is a
 * routed one (its upgrades pass the HTTP filters, which authenticate them); this one is too, and
 * only puts the check between the socket and the WebSocket connection Helidon creates.
 */
final class CheckedWsUpgrader implements Http1RoutedUpgrader {
    private final Http1RoutedUpgrader helidon;
    private final int maxFrameLength;

    CheckedWsUpgrader(WsConfig config) {
        if (!(WsUpgrader.create(config) instanceof Http1RoutedUpgrader routed)) {
            // Helidon changed how it upgrades; without a routed upgrade the filters would not run.
            throw new IllegalStateException("Helidon's WsUpgrader is no longer an Http1RoutedUpgrader; revisit CheckedWsUpgrader");
        }
        this.helidon = routed;
        this.maxFrameLength = config.maxFrameLength();
    }

    @Override
    public String supportedProtocol() {
        return helidon.supportedProtocol();
    }

    @Override
    public Optional<Http1RoutedUpgrade> routedUpgrade(ConnectionContext ctx, HttpPrologue prologue, WritableHeaders<?> headers) {
        FrameCheck check = new FrameCheck(ctx.dataReader(), maxFrameLength);
        return helidon.routedUpgrade(new ForwardingConnectionContext(ctx, check.reader()), prologue, headers)
                .map(upgrade -> (response, requestHeaders) -> {
                    Http1UpgradeResult result = upgrade.upgrade(response, requestHeaders);
                    result.connection().ifPresent(connection -> attach(check, connection));
                    return result;
                });
    }

    @Override
    public ServerConnection upgrade(ConnectionContext ctx, HttpPrologue prologue, WritableHeaders<?> headers) {
        FrameCheck check = new FrameCheck(ctx.dataReader(), maxFrameLength);
        ServerConnection connection = helidon.upgrade(new ForwardingConnectionContext(ctx, check.reader()), prologue, headers);
        if (connection != null) {
            attach(check, connection);
        }
        return connection;
    }

    private static void attach(FrameCheck check, ServerConnection connection) {
        if (!(connection instanceof WsSession session)) {
            throw new IllegalStateException("Helidon's WebSocket connection is no longer its session; revisit CheckedWsUpgrader");
        }
        check.session(session);
    }
}
