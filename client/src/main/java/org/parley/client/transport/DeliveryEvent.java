// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.client.transport;

import org.parley.protocol.Frame;

/** What the delivery socket can hand the reader: a frame, the end of the connection, or a failure. */
public sealed interface DeliveryEvent {
    record Received(Frame frame) implements DeliveryEvent {}

    /** The server closed the connection; {@code code} 4409 means another connection of this device took over. */
    record Closed(int code, String reason) implements DeliveryEvent {}

    /** The connection broke without a close handshake. */
    record Failed(Throwable error) implements DeliveryEvent {}
}
