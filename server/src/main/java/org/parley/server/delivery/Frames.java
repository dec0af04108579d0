// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.delivery;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.databind.ObjectWriter;
import org.parley.protocol.BinaryFrames;
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
        return write(envelopeFrame(m, sourceHandle));
    }

    static Frame.EnvelopeFrame envelopeFrame(QueuedMessage m, String sourceHandle) {
        return new Frame.EnvelopeFrame(new Envelope(m.guid(), m.sourceAccountId(), m.sourceDeviceId(), sourceHandle,
                m.deviceId(), m.type(), m.content(), m.clientTimestamp(), m.serverTimestamp()));
    }

    /**
     * A client binary frame (the binary protocol, {@link BinaryFrames}): an ack or a send, checked as
     * {@link #clientFrame(String)} checks text.
     */
    static Frame clientFrame(byte[] data) {
        Frame frame;
        try {
            frame = BinaryFrames.decode(data);
        } catch (IllegalArgumentException e) {
            String id = BinaryFrames.sendId(data);
            if (usableId(id)) {
                throw new InvalidSend(id, "not a valid send: " + e.getMessage());
            }
            throw e;
        }
        return checked(frame);
    }

    /**
     * A client frame: an {@link Frame.Ack} with a guid or a {@link Frame.Send} with an id.
     *
     * @throws InvalidSend when the frame is a {@code send} with a usable id whose body is invalid
     *     (answered with a 400 under that id, the connection stays open)
     * @throws IllegalArgumentException when {@code text} is no client frame at all
     */
    static Frame clientFrame(String text) {
        Frame frame;
        try {
            frame = READER.readValue(text);
        } catch (JsonProcessingException e) {
            String id = sendIdOf(text);
            if (id != null) {
                throw new InvalidSend(id, "not a valid send: " + e.getOriginalMessage());
            }
            throw new IllegalArgumentException("not a frame: " + e.getOriginalMessage(), e);
        }
        return checked(frame);
    }

    private static Frame checked(Frame frame) {
        return switch (frame) {
            case Frame.Ack(String guid) -> {
                if (guid == null || guid.isEmpty()) {
                    throw new IllegalArgumentException("an ack needs the guid of the envelope");
                }
                yield frame;
            }
            case Frame.Send send -> {
                if (!usableId(send.id())) {
                    throw new IllegalArgumentException("a send needs an id of 1.." + Frame.MAX_REQUEST_ID_CHARS + " characters");
                }
                if (send.destination() == null || send.destination().isEmpty() || send.message() == null) {
                    throw new InvalidSend(send.id(), "a send needs a destination account id and a message");
                }
                yield frame;
            }
            default -> throw new IllegalArgumentException("a client may send only ack and send frames");
        };
    }

    /** The id of what looks like a {@code send} frame, if it has a usable one; null otherwise. */
    private static String sendIdOf(String text) {
        try {
            JsonNode tree = Json.lenient().readTree(text);
            if (tree != null && "send".equals(tree.path("type").asText(null)) && tree.path("id").isTextual()) {
                String id = tree.path("id").asText();
                return usableId(id) ? id : null;
            }
        } catch (JsonProcessingException e) {
            // not JSON at all
        }
        return null;
    }

    private static boolean usableId(String id) {
        return id != null && !id.isEmpty() && id.length() <= Frame.MAX_REQUEST_ID_CHARS;
    }

    static String sendResult(Frame.SendResult result) {
        return write(result);
    }

    /** A {@code send} frame whose id is usable but whose content is not: answered, not closed. */
    static final class InvalidSend extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final String id;

        InvalidSend(String id, String message) {
            super(message, null, false, false);
            this.id = id;
        }

        String id() {
            return id;
        }
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
