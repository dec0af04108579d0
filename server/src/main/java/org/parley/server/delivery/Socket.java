// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.delivery;

/**
 * The frames a delivery connection writes, whatever carries them: the WebSocket endpoint adapts
 * Helidon's session ({@link DeliveryEndpoint}), so the connection's logic imports no HTTP.
 * A write to a dead socket throws an unchecked exception.
 */
interface Socket {
    /** One whole text frame. */
    void send(String text);

    /** One whole binary frame (the binary protocol only). */
    void sendBinary(byte[] frame);

    /** An empty ping (the keepalive). */
    void ping();

    /** The pong a client's ping needs (RFC 6455), echoing its payload. */
    void pong(byte[] payload);

    void close(int code, String reason);
}
