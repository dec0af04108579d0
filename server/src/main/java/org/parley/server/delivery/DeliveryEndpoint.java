// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.delivery;

import io.helidon.common.buffers.BufferData;
import io.helidon.http.Headers;
import io.helidon.http.HttpPrologue;
import io.helidon.websocket.WsCloseCodes;
import io.helidon.websocket.WsListener;
import io.helidon.websocket.WsSession;
import io.helidon.websocket.WsUpgradeException;
import java.util.Optional;
import org.parley.server.errors.Unauthenticated;
import org.parley.server.http.AuthenticatedDevice;
import org.parley.server.http.DeviceAuthenticator;

/**
 * The listener of one delivery WebSocket (Helidon makes one per connection). Its callbacks run on
 * the connection's own thread; sending happens on the {@link DeviceConnection}'s loop thread.
 *
 * <p>Client frames: text {@code ack} frames only. Anything else is a client bug and closes the
 * connection (1003 for binary frames, 1007 for text that is not an ack, 1009 for a frame over
 * {@value #MAX_CLIENT_FRAME_CHARS} characters). Nothing is lost by closing: unacked envelopes are
 * sent again on the next connection.
 */
final class DeliveryEndpoint implements WsListener {
    static final int MAX_CLIENT_FRAME_CHARS = 4096;
    private static final System.Logger LOG = System.getLogger(DeliveryEndpoint.class.getName());

    private final DeviceAuthenticator auth;
    private final DeliveryService owner;
    private final StringBuilder partial = new StringBuilder();
    private volatile AuthenticatedDevice device;
    private volatile DeviceConnection connection;

    DeliveryEndpoint(DeviceAuthenticator auth, DeliveryService owner) {
        this.auth = auth;
        this.owner = owner;
    }

    /**
     * Authenticates the upgrade request. The HTTP filter of {@link DeliveryFeature} has already
     * answered 401 to bad credentials; this second check is what binds the connection to a device.
     */
    @Override
    public Optional<Headers> onHttpUpgrade(HttpPrologue prologue, Headers headers) throws WsUpgradeException {
        try {
            device = auth.authenticate(headers);
        } catch (Unauthenticated e) {
            throw new WsUpgradeException("device authentication failed");
        }
        return Optional.empty();
    }

    @Override
    public void onOpen(WsSession session) {
        AuthenticatedDevice who = device;
        if (who == null) {
            session.close(WsCloseCodes.VIOLATED_POLICY, "unauthenticated");
            return;
        }
        connection = owner.open(who, new HelidonSocket(session), Thread.currentThread());
    }

    @Override
    public void onMessage(WsSession session, String text, boolean last) {
        DeviceConnection c = connection;
        if (c == null) {
            return;
        }
        if (partial.length() + text.length() > MAX_CLIENT_FRAME_CHARS) {
            c.close(WsCloseCodes.TOO_BIG, "client frames are at most " + MAX_CLIENT_FRAME_CHARS + " characters");
            return;
        }
        partial.append(text);
        if (!last) {
            return;
        }
        String frame = partial.toString();
        partial.setLength(0);
        String guid;
        try {
            guid = Frames.ackedGuid(frame);
        } catch (IllegalArgumentException e) {
            LOG.log(System.Logger.Level.DEBUG, "closing a delivery WebSocket after an invalid client frame");
            c.close(WsCloseCodes.NOT_CONSISTENT, "expected {\"type\":\"ack\",\"guid\":\"...\"}");
            return;
        }
        c.acked(guid);
    }

    @Override
    public void onMessage(WsSession session, BufferData buffer, boolean last) {
        DeviceConnection c = connection;
        if (c != null) {
            c.close(WsCloseCodes.CANNOT_ACCEPT, "only JSON text frames are accepted");
        }
    }

    @Override
    public void onPing(WsSession session, BufferData buffer) {
        DeviceConnection c = connection;
        if (c != null) {
            c.pong(buffer.readBytes());
        }
    }

    @Override
    public void onClose(WsSession session, int status, String reason) {
        DeviceConnection c = connection;
        if (c != null) {
            c.stop();
        }
    }

    @Override
    public void onError(WsSession session, Throwable t) {
        LOG.log(System.Logger.Level.DEBUG, "delivery WebSocket error: " + t.getClass().getSimpleName());
        DeviceConnection c = connection;
        if (c != null) {
            c.stop();
        }
    }

    /** Helidon's WebSocket session as the frames a connection writes. */
    private record HelidonSocket(WsSession session) implements Socket {
        @Override
        public void send(String text) {
            session.send(text, true);
        }

        @Override
        public void ping() {
            session.ping(BufferData.empty());
        }

        @Override
        public void pong(byte[] payload) {
            session.pong(BufferData.create(payload));
        }

        @Override
        public void close(int code, String reason) {
            session.close(code, reason);
        }
    }
}
