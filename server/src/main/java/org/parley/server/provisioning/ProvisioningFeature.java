// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.provisioning;

import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.helidon.webserver.websocket.WsRouting;
import org.parley.protocol.ProvisioningMessage;
import org.parley.server.feature.Feature;
import org.parley.server.feature.ServerContext;
import org.parley.server.http.AuthenticatedDevice;
import org.parley.server.http.DeviceAuthenticator;
import org.parley.server.http.HttpJson;
import org.parley.server.http.Routes;
import org.parley.server.transparency.PolicyContributor;

/**
 * Provisioning (docs/protocol.md, "Provisioning"): the unauthenticated WebSocket {@value #PATH} on
 * which a new device waits, and {@code PUT /v1/provisioning/{id}} with which a device of the account
 * sends it one end-to-end encrypted message. The server relays opaque bytes and stores nothing.
 *
 * <p>The socket goes through the same RFC 6455 frame checks as delivery's (the transport installs
 * them for every WebSocket, see {@code http.websocket.CheckedWebSockets}).
 */
public final class ProvisioningFeature implements Feature {
    public static final String PATH = "/v1/provisioning";

    private final ProvisioningRelay relay;
    private final DeviceAuthenticator auth;

    private ProvisioningFeature(ProvisioningRelay relay, DeviceAuthenticator auth) {
        this.relay = relay;
        this.auth = auth;
    }

    public static ProvisioningFeature create(ServerContext ctx, DeviceAuthenticator auth) {
        return new ProvisioningFeature(new ProvisioningRelay(ctx.random(), ctx.clock(), ctx.meters()), auth);
    }

    @Override
    public void routing(HttpRouting.Builder routing) {
        routing.register(PATH, rules -> rules.put("/{id}", Routes.device(auth, this::deliver)));
    }

    @Override
    public void websocket(WsRouting.Builder ws) {
        ws.endpoint(PATH, () -> new ProvisioningEndpoint(relay));
    }

    private void deliver(ServerRequest req, ServerResponse res, AuthenticatedDevice device) {
        ProvisioningMessage message = HttpJson.read(req, ProvisioningMessage.class);
        relay.deliver(req.path().pathParameters().get("id"), message.body());
        res.status(Status.NO_CONTENT_204).send();
    }

    /** Sockets waiting for their message on this node. */
    int waiting() {
        return relay.waitingCount();
    }

    /** What provisioning keeps (nothing) for the published policy. */
    public static PolicyContributor policy() {
        return new ProvisioningPolicy();
    }

    @Override
    public void close() {
        relay.close();
    }
}
