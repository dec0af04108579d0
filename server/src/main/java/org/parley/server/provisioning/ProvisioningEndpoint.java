// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.provisioning;

import io.helidon.common.buffers.BufferData;
import io.helidon.websocket.WsCloseCodes;
import io.helidon.websocket.WsListener;
import io.helidon.websocket.WsSession;

/**
 * The listener of one provisioning WebSocket (Helidon makes one per connection). The new device
 * only listens: the server sends its address, later the one message, then closes. A frame from the
 * client is a client bug and closes the socket (1003 binary, 1008 text).
 */
final class ProvisioningEndpoint implements WsListener {
    private final ProvisioningRelay relay;
    private volatile String id;
    private volatile ProvisioningRelay.Waiting waiting;

    ProvisioningEndpoint(ProvisioningRelay relay) {
        this.relay = relay;
    }

    @Override
    public void onOpen(WsSession session) {
        ProvisioningRelay.Waiting socket = new ProvisioningRelay.Waiting() {
            @Override
            public void send(String text) {
                session.send(text, true);
            }

            @Override
            public void close(int code, String reason) {
                session.close(code, reason);
            }
        };
        waiting = socket;
        id = relay.open(socket).orElse(null);
    }

    @Override
    public void onMessage(WsSession session, String text, boolean last) {
        relay.closed(id, waiting);
        session.close(WsCloseCodes.VIOLATED_POLICY, "the provisioning socket only listens");
    }

    @Override
    public void onMessage(WsSession session, BufferData buffer, boolean last) {
        relay.closed(id, waiting);
        session.close(WsCloseCodes.CANNOT_ACCEPT, "the provisioning socket only listens");
    }

    @Override
    public void onClose(WsSession session, int status, String reason) {
        relay.closed(id, waiting);
    }

    @Override
    public void onError(WsSession session, Throwable t) {
        relay.closed(id, waiting);
    }
}
