// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.client.crypto;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
    void withSenderAccessKey_keepsEveryOtherField() {
        Plaintext.DeviceNotice notice = new Plaintext.DeviceNotice("added", 2, 3);
        Plaintext plain = new Plaintext(Plaintext.VERSION, "b", 5, "d", notice, null, "skd", null, "started", null, 7,
                java.util.List.of());
        String key = java.util.Base64.getEncoder().encodeToString(new byte[16]);
        assertEquals(new Plaintext(Plaintext.VERSION, "b", 5, "d", notice, null, "skd", null, "started", key, 7,
                java.util.List.of()), plain.withSenderAccessKey(new byte[16]));
    }

    @Test
    void encode_message_isTheDocumentedJsonPaddedToTheBucket() {
        byte[] encoded = Plaintext.message("hi \"you\"", 1764280000000L).encode();
        assertEquals(Padding.BUCKET, encoded.length);
        assertEquals("{\"v\":1,\"body\":\"hi \\\"you\\\"\",\"sentAt\":1764280000000}",
                new String(Padding.strip(encoded), UTF_8));
    }

    @Test
    void encode_receiptAndShortText_haveTheSameSize() throws Exception {
        byte[] receipt = Plaintext.receipt(new Receipt(Receipt.DELIVERED, java.util.List.of(1764280000000L)),
                1764280000001L, null).encode();
        byte[] text = Plaintext.message("ok", 1764280000001L).encode();
        assertEquals(text.length, receipt.length);
        assertEquals(Receipt.DELIVERED, Plaintext.decode(receipt).receipt().type());
    }

    @Test
    void padding_isAMultipleOfTheBucketAndStripsBack() {
        for (int n : new int[] {0, 1, 158, 159, 160, 161, 319, 320, 1000}) {
            byte[] data = new byte[n];
            java.util.Arrays.fill(data, (byte) '}');
            byte[] padded = Padding.pad(data);
            assertEquals(0, padded.length % Padding.BUCKET, "length " + n);
            assertTrue(padded.length > n);
            org.junit.jupiter.api.Assertions.assertArrayEquals(data, Padding.strip(padded));
        }
    }

    @Test
    void decode_unpaddedPlaintextOfAnOlderClient_isRead() throws Exception {
        assertEquals("x", Plaintext.decode("{\"v\":1,\"body\":\"x\",\"sentAt\":5}".getBytes(UTF_8)).body());
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
                new String(Padding.strip(notice.encode()), UTF_8));
        assertEquals(notice, Plaintext.decode(notice.encode()));
    }

    @Test
    void decode_neitherBodyNorNotice_isRejected() {
        assertThrows(DecryptionException.class, () -> Plaintext.decode("{\"v\":1,\"sentAt\":5}".getBytes(UTF_8)));
    }
}
