// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.delivery;

import io.helidon.common.buffers.BufferData;
import io.helidon.http.Headers;
import io.helidon.http.HttpPrologue;
import io.helidon.websocket.WsCloseCodes;
import io.helidon.websocket.WsListener;
import io.helidon.websocket.WsSession;
import io.helidon.websocket.WsUpgradeException;
import java.util.List;
import java.util.Optional;
import org.parley.protocol.BinaryFrames;
import org.parley.protocol.Frame;
import org.parley.protocol.Limits;
import org.parley.server.errors.Unauthenticated;
import org.parley.server.http.AuthenticatedDevice;
import org.parley.server.http.DeviceAuthenticator;

/**
 * The listener of one delivery WebSocket (Helidon makes one per connection). Its callbacks run on
 * the connection's own thread; sending happens on the {@link DeviceConnection}'s loop thread.
 *
 * <p>Client frames: text {@code ack} and {@code send} frames ({@link SocketSends} runs the sends),
 * and their binary forms on a connection opened with {@value BinaryFrames#QUERY} or
 * {@value BinaryFrames#BATCH_QUERY}; on the latter a batch frame is handled as its inner frames, in
 * order (each send still answered under its own id). Anything else is a client bug and closes the
 * connection (1003 for binary frames on the JSON protocol, 1007 for a message that is no client frame
 * or a malformed batch, 1009 for a message over {@value #MAX_CLIENT_FRAME_CHARS} characters).
 * A {@code send} with a usable id but an invalid body is answered with a 400 under that id instead.
 * Nothing is lost by closing: unacked envelopes are sent again on the next connection.
 */
final class DeliveryEndpoint implements WsListener {
    /** A whole client message (fragments joined): the largest HTTP send body, since a send frame carries one. */
    static final int MAX_CLIENT_FRAME_CHARS = Limits.MAX_BODY_BYTES;
    private static final System.Logger LOG = System.getLogger(DeliveryEndpoint.class.getName());

    private final DeviceAuthenticator auth;
    private final DeliveryService owner;
    private final StringBuilder partial = new StringBuilder();
    private final java.io.ByteArrayOutputStream partialBinary = new java.io.ByteArrayOutputStream();
    private volatile AuthenticatedDevice device;
    /** The client asked for binary frames ({@value BinaryFrames#QUERY} on the upgrade). */
    private volatile boolean binary;
    /** The client asked for batch frames too ({@value BinaryFrames#BATCH_QUERY}). */
    private volatile boolean batch;
    private volatile DeviceConnection connection;
    private volatile SocketSends sends;

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
        String frames = prologue.query().first("frames").orElse(null);
        batch = "batch".equals(frames);
        binary = batch || "binary".equals(frames);
        return Optional.empty();
    }

    @Override
    public void onOpen(WsSession session) {
        AuthenticatedDevice who = device;
        if (who == null) {
            session.close(WsCloseCodes.VIOLATED_POLICY, "unauthenticated");
            return;
        }
        DeviceConnection c = owner.open(who, binary, batch, new HelidonSocket(session), Thread.currentThread());
        sends = owner.sendsOf(c);
        connection = c;
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
        Frame parsed;
        try {
            parsed = Frames.clientFrame(frame);
        } catch (Frames.InvalidSend e) {
            sends.invalid(e.id(), e.getMessage());
            return;
        } catch (IllegalArgumentException e) {
            LOG.log(System.Logger.Level.DEBUG, "closing a delivery WebSocket after an invalid client frame");
            c.close(WsCloseCodes.NOT_CONSISTENT, "expected an ack or a send frame (docs/protocol.md)");
            return;
        }
        dispatch(c, parsed);
    }

    /**
     * A binary client message: only on the negotiated binary protocol ({@link BinaryFrames}); on the
     * JSON protocol it closes with 1003 as before.
     */
    @Override
    public void onMessage(WsSession session, BufferData buffer, boolean last) {
        DeviceConnection c = connection;
        if (c == null) {
            return;
        }
        if (!binary) {
            c.close(WsCloseCodes.CANNOT_ACCEPT, "only JSON text frames are accepted");
            return;
        }
        if (partialBinary.size() + buffer.available() > MAX_CLIENT_FRAME_CHARS) {
            c.close(WsCloseCodes.TOO_BIG, "client messages are at most " + MAX_CLIENT_FRAME_CHARS + " bytes");
            return;
        }
        partialBinary.writeBytes(buffer.readBytes());
        if (!last) {
            return;
        }
        byte[] frame = partialBinary.toByteArray();
        partialBinary.reset();
        if (batch && BinaryFrames.isBatch(frame)) {
            List<byte[]> inner;
            try {
                inner = BinaryFrames.split(frame);
            } catch (IllegalArgumentException e) {
                invalidFrame(c);
                return;
            }
            // In order, as if they had come one by one: an invalid one closes, the rest are dropped.
            for (byte[] f : inner) {
                if (!binaryFrame(c, f)) {
                    return;
                }
            }
            return;
        }
        binaryFrame(c, frame);
    }

    /** Handles one binary client frame; false when it closed the connection. */
    private boolean binaryFrame(DeviceConnection c, byte[] frame) {
        Frame parsed;
        try {
            parsed = Frames.clientFrame(frame);
        } catch (Frames.InvalidSend e) {
            sends.invalid(e.id(), e.getMessage());
            return true;
        } catch (IllegalArgumentException e) {
            invalidFrame(c);
            return false;
        }
        dispatch(c, parsed);
        return true;
    }

    private static void invalidFrame(DeviceConnection c) {
        LOG.log(System.Logger.Level.DEBUG, "closing a delivery WebSocket after an invalid client frame");
        c.close(WsCloseCodes.NOT_CONSISTENT, "expected an ack or a send frame (docs/protocol.md)");
    }

    private void dispatch(DeviceConnection c, Frame parsed) {
        switch (parsed) {
            case Frame.Ack(String guid) -> c.acked(guid);
            case Frame.Send send -> sends.submit(send);
            default -> throw new IllegalStateException("Frames.clientFrame returned a server frame");
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
        public void sendBinary(byte[] frame) {
            session.send(BufferData.create(frame), true);
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
