// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.util.List;

/** A WebSocket text frame. The {@code type} property names the kind. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(value = Frame.EnvelopeFrame.class, name = "envelope"),
    @JsonSubTypes.Type(value = Frame.QueueEmpty.class, name = "queue-empty"),
    @JsonSubTypes.Type(value = Frame.Ack.class, name = "ack"),
    @JsonSubTypes.Type(value = Frame.Send.class, name = "send"),
    @JsonSubTypes.Type(value = Frame.SendResult.class, name = "send-result"),
})
public sealed interface Frame {
    /** Server to client: one envelope from the device queue. */
    record EnvelopeFrame(Envelope envelope) implements Frame {}

    /** Server to client: the backlog present at connect time has been sent. */
    record QueueEmpty() implements Frame {}

    /** Client to server: the envelope is processed and may be deleted. */
    record Ack(String guid) implements Frame {}

    /**
     * Client to server: what {@code PUT /v1/messages/{destination}} carries, over the delivery
     * WebSocket. {@code id} is the client's own request id (at most {@value #MAX_REQUEST_ID_CHARS}
     * characters); the answer is a {@link SendResult} with the same id.
     */
    record Send(String id, String destination, SendMessageRequest message) implements Frame {}

    /**
     * Server to client: the answer to {@link Send} {@code id}, written only after its envelopes are
     * committed. Exactly one of {@code result} (what the HTTP send answers with 200) and
     * {@code error} is present; {@code status} is the HTTP status the same send would have had.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record SendResult(String id, int status, SendMessageResponse result, SendError error) implements Frame {}

    /**
     * Why a send was refused: the HTTP error body ({@code error}, {@code message}), the device lists
     * of a 409 or 410, and for {@code rate_limited} (429) the seconds to wait before sending again.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record SendError(String error, String message, List<DeviceMismatch> mismatches, List<StaleDevices> stale,
                     Long retryAfterSeconds) {}

    /** The longest request id a {@link Send} may carry. */
    int MAX_REQUEST_ID_CHARS = 64;

    /** WebSocket close code for a connection displaced by a newer one of the same device. */
    int CLOSE_CONNECTED_ELSEWHERE = 4409;

    /** WebSocket close code for the connection of a device that was removed from its account. */
    int CLOSE_DEVICE_REMOVED = 4410;
}
