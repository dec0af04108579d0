// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.client.crypto;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

class PlaintextTest {
    @Property
    void encodeDecode_anyText_roundTrips(@ForAll String body, @ForAll @LongRange(min = 1) long sentAt) throws Exception {
        Plaintext original = Plaintext.message(body, sentAt);

        assertEquals(original, Plaintext.decode(original.encode()));
    }

    @Test
    void encode_message_isTheDocumentedJson() {
        assertEquals("{\"v\":1,\"body\":\"hi \\\"you\\\"\",\"sentAt\":1764280000000}",
                new String(Plaintext.message("hi \"you\"", 1764280000000L).encode(), UTF_8));
    }

    @Test
    void decode_unknownField_isIgnored() throws Exception {
        Plaintext p = Plaintext.decode("{\"v\":1,\"body\":\"x\",\"sentAt\":5,\"future\":true}".getBytes(UTF_8));

        assertEquals("x", p.body());
    }

    @Test
    void decode_otherVersion_isRejected() {
        DecryptionException e = assertThrows(DecryptionException.class,
                () -> Plaintext.decode("{\"v\":2,\"body\":\"x\",\"sentAt\":5}".getBytes(UTF_8)));

        assertEquals(DecryptionException.Reason.INVALID_MESSAGE, e.reason());
    }

    @Test
    void decode_notJson_isRejectedWithoutEchoingContent() {
        DecryptionException e = assertThrows(DecryptionException.class,
                () -> Plaintext.decode("secret words".getBytes(UTF_8)));

        assertFalse(e.getMessage().contains("secret"));
    }

    @Test
    void toString_hidesBody() {
        assertFalse(Plaintext.message("secret words", 1).toString().contains("secret"));
    }

    @Test
    void deviceNotice_hasNoBody_andRoundTrips() throws Exception {
        Plaintext notice = Plaintext.deviceNotice(new Plaintext.DeviceNotice("added", 2, 4712), 7);
        assertEquals("{\"v\":1,\"sentAt\":7,\"deviceNotice\":{\"change\":\"added\",\"deviceId\":2,\"registrationId\":4712}}",
                new String(notice.encode(), UTF_8));
        assertEquals(notice, Plaintext.decode(notice.encode()));
    }

    @Test
    void decode_neitherBodyNorNotice_isRejected() {
        assertThrows(DecryptionException.class, () -> Plaintext.decode("{\"v\":1,\"sentAt\":5}".getBytes(UTF_8)));
    }
}
