// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.delivery;

import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;
import io.helidon.webserver.spi.ProtocolConfig;
import io.helidon.webserver.websocket.WsConfig;
import io.helidon.webserver.websocket.WsRouting;
import java.time.Duration;
import java.util.List;
import org.parley.server.accounts.Accounts;
import org.parley.server.errors.Unauthenticated;
import org.parley.server.feature.Feature;
import org.parley.server.feature.ServerContext;
import org.parley.server.http.DeviceAuthenticator;
import org.parley.server.http.ErrorMapping;
import org.parley.server.messages.MessageListener;
import org.parley.server.messages.MessageStore;
import org.parley.server.messages.Sends;

/**
 * Delivery: the authenticated WebSocket at {@value #PATH} over which each device receives its
 * queue (see docs/protocol.md). This class wires {@link DeliveryService} and serves it: the
 * WebSocket endpoint, the HTTP filter that answers {@code 401} to upgrades with bad credentials
 * (without it Helidon would answer {@code 400}) and the WebSocket frame limit.
 */
public final class DeliveryFeature implements Feature {
    public static final String PATH = "/v1/websocket";
    /** How often an idle connection is pinged and checked; well under Helidon's 5-minute idle cut-off. */
    static final Duration DEFAULT_KEEPALIVE = Duration.ofSeconds(30);
    /**
     * One WebSocket frame; a larger client message (a big send) comes in fragments, joined up to
     * {@code DeliveryEndpoint.MAX_CLIENT_FRAME_CHARS}.
     */
    static final int MAX_FRAME_BYTES = 64 * 1024;

    private final DeliveryService service;
    private final DeviceAuthenticator auth;

    private DeliveryFeature(DeliveryService service, DeviceAuthenticator auth) {
        this.service = service;
        this.auth = auth;
    }

    /**
     * Delivery from {@code store}, with {@code delivery.max-in-flight} unacked envelopes per
     * connection; {@code fanout} carries wake-ups and displacements between nodes
     * ({@link Fanout#local()} on a single node).
     */
    public static DeliveryFeature create(ServerContext ctx, MessageStore store, Accounts accounts, DeviceAuthenticator auth,
                                         Fanout fanout) {
        return create(ctx, store, accounts, auth, DEFAULT_KEEPALIVE, fanout);
    }

    /** For tests: a short keepalive makes dead-connection detection observable. */
    static DeliveryFeature create(ServerContext ctx, MessageStore store, Accounts accounts, DeviceAuthenticator auth,
                                  Duration keepalive, Fanout fanout) {
        return new DeliveryFeature(new DeliveryService(ctx, store, accounts, keepalive, fanout), auth);
    }

    /** What the messages feature calls when envelopes commit: wakes the devices' connections. */
    public MessageListener listener() {
        return service;
    }

    /**
     * Lets clients send over their delivery WebSocket ({@code send} frames) through {@code sends},
     * the messages feature's service, so both transports share one path. Called once at wiring,
     * since the messages feature is created after this one (it needs {@link #listener()}).
     */
    public void acceptSends(Sends sends) {
        service.acceptSends(sends);
    }

    /**
     * Closes the connections of every device of {@code accountId}, on every node: the handle was
     * registered again, so these devices' credentials and queues are gone. Meant for
     * {@code AccountsFeature.onDevicesReplaced}.
     */
    public void devicesReplaced(String accountId) {
        service.devicesReplaced(accountId);
    }

    /**
     * Closes the connection of one unlinked device, on every node. Meant for
     * {@code AccountsFeature.onDeviceRemoved}.
     */
    public void deviceRemoved(String accountId, int deviceId) {
        service.deviceRemoved(accountId, deviceId);
    }

    @Override
    public void routing(HttpRouting.Builder routing) {
        routing.addFilter(this::authenticateUpgrade);
    }

    @Override
    public void websocket(WsRouting.Builder ws) {
        ws.endpoint(PATH, () -> new DeliveryEndpoint(auth, service));
    }

    @Override
    public List<ProtocolConfig> protocols() {
        return List.of(WsConfig.builder().maxFrameLength(MAX_FRAME_BYTES).build());
    }

    /** Connections whose delivery loop has not ended yet. */
    int liveConnections() {
        return service.liveConnections();
    }

    /** Closes every connection with 1001 and waits briefly for the delivery loops to end. */
    @Override
    public void close() {
        service.close();
    }

    /**
     * Helidon answers a refused WebSocket upgrade with a bare 400, so bad credentials are refused
     * here first, before the upgrade, with the usual 401 JSON error.
     */
    private void authenticateUpgrade(FilterChain chain, RoutingRequest req, RoutingResponse res) {
        if (PATH.equals(req.prologue().uriPath().path())) {
            try {
                auth.authenticate(req);
            } catch (Unauthenticated e) {
                ErrorMapping.send(res, e);
                return;
            }
        }
        chain.proceed();
    }
}
