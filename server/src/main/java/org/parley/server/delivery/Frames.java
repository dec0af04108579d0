// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.delivery;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.databind.ObjectWriter;
import org.parley.protocol.Envelope;
import org.parley.protocol.Frame;
import org.parley.protocol.Json;
import org.parley.server.messages.QueuedMessage;

/** JSON text frames of the delivery WebSocket (see the WebSocket section of docs/protocol.md). */
final class Frames {
    private static final ObjectWriter WRITER = Json.strict().writerFor(Frame.class);
    private static final ObjectReader READER = withoutScalarsAsText(Json.strict()).readerFor(Frame.class);
    static final String QUEUE_EMPTY = write(new Frame.QueueEmpty());

    private Frames() {}

    /** An envelope frame; a sealed envelope's has no source (sourceAccountId and sourceHandle null, sourceDeviceId 0). */
    static String envelope(QueuedMessage m, String sourceHandle) {
        return write(new Frame.EnvelopeFrame(new Envelope(m.guid(), m.sourceAccountId(), m.sourceDeviceId(), sourceHandle,
                m.deviceId(), m.type(), m.content(), m.clientTimestamp(), m.serverTimestamp())));
    }

    /**
     * The guid of a client {@code ack} frame.
     *
     * @throws IllegalArgumentException when {@code text} is not an ack frame with a guid
     */
    static String ackedGuid(String text) {
        Frame frame;
        try {
            frame = READER.readValue(text);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not a frame: " + e.getOriginalMessage(), e);
        }
        if (!(frame instanceof Frame.Ack(String guid))) {
            throw new IllegalArgumentException("a client may send only ack frames");
        }
        if (guid == null || guid.isEmpty()) {
            throw new IllegalArgumentException("an ack needs the guid of the envelope");
        }
        return guid;
    }

    /**
     * A guid is a JSON string (docs/protocol.md); Jackson would otherwise read {@code 42} or
     * {@code true} as the text "42" or "true", and accept an ack that breaks the protocol.
     */
    private static ObjectMapper withoutScalarsAsText(ObjectMapper base) {
        ObjectMapper mapper = base.copy();
        mapper.coercionConfigFor(LogicalType.Textual)
                .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
        return mapper;
    }

    private static String write(Frame frame) {
        try {
            return WRITER.writeValueAsString(frame);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise a " + frame.getClass().getSimpleName(), e);
        }
    }
}
