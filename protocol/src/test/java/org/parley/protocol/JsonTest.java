// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonMappingException;
import org.junit.jupiter.api.Test;

class JsonTest {
    @Test
    void frame_envelopeRoundTrip_keepsTypeAndBytes() throws Exception {
        Envelope envelope = new Envelope("g", "a", 1, "+12025550143", 2, MessageType.PREKEY, new byte[] {1, 2, 3}, 5, 6);
        String json = Json.strict().writeValueAsString(new Frame.EnvelopeFrame(envelope));
        Frame back = Json.strict().readValue(json, Frame.class);
        Frame.EnvelopeFrame frame = assertInstanceOf(Frame.EnvelopeFrame.class, back);
        assertArrayEquals(new byte[] {1, 2, 3}, frame.envelope().content());
        assertEquals(MessageType.PREKEY, frame.envelope().type());
    }

    @Test
    void frame_ack_parsesFromWire() throws Exception {
        Frame frame = Json.strict().readValue("{\"type\":\"ack\",\"guid\":\"x\"}", Frame.class);
        assertEquals(new Frame.Ack("x"), frame);
        assertEquals("{\"type\":\"queue-empty\"}", Json.strict().writeValueAsString(new Frame.QueueEmpty()));
    }

    @Test
    void sendRequest_oversizedContent_failsWithTooLarge() {
        String big = java.util.Base64.getEncoder().encodeToString(new byte[Limits.MAX_CIPHERTEXT_BYTES + 1]);
        String json = "{\"timestamp\":1,\"messages\":[{\"deviceId\":1,\"registrationId\":1,\"type\":\"signal\",\"content\":\"" + big + "\"}]}";
        JsonMappingException e = assertThrows(JsonMappingException.class, () -> Json.strict().readValue(json, SendMessageRequest.class));
        assertInstanceOf(MessageTooLargeException.class, e.getCause());
    }

    @Test
    void strict_unknownField_fails() {
        assertThrows(JsonMappingException.class,
                () -> Json.strict().readValue("{\"handle\":\"a@b.org\",\"extra\":1}", VerificationSessionRequest.class));
    }
}
