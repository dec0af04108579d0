// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.protocol;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/** A WebSocket text frame. The {@code type} property names the kind. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(value = Frame.EnvelopeFrame.class, name = "envelope"),
    @JsonSubTypes.Type(value = Frame.QueueEmpty.class, name = "queue-empty"),
    @JsonSubTypes.Type(value = Frame.Ack.class, name = "ack"),
})
public sealed interface Frame {
    /** Server to client: one envelope from the device queue. */
    record EnvelopeFrame(Envelope envelope) implements Frame {}

    /** Server to client: the backlog present at connect time has been sent. */
    record QueueEmpty() implements Frame {}

    /** Client to server: the envelope is processed and may be deleted. */
    record Ack(String guid) implements Frame {}

    /** WebSocket close code for a connection displaced by a newer one of the same device. */
    int CLOSE_CONNECTED_ELSEWHERE = 4409;

    /** WebSocket close code for the connection of a device that was removed from its account. */
    int CLOSE_DEVICE_REMOVED = 4410;
}
