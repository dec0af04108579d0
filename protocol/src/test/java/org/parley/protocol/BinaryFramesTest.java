// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class BinaryFramesTest {
    private static final byte[] CIPHERTEXT = {1, 2, 3, (byte) 0xFF};

    @Test
    void envelope_roundTrips_withANullHandle() {
        Envelope e = new Envelope("g-1", "acct", 3, null, 1, MessageType.PREKEY, CIPHERTEXT, 11L, 12L);
        Frame.EnvelopeFrame back = assertInstanceOf(Frame.EnvelopeFrame.class,
                BinaryFrames.decode(BinaryFrames.encode(new Frame.EnvelopeFrame(e))));
        assertEquals("g-1", back.envelope().guid());
        assertEquals("acct", back.envelope().sourceAccountId());
        assertEquals(3, back.envelope().sourceDeviceId());
        assertNull(back.envelope().sourceHandle());
        assertEquals(1, back.envelope().destinationDeviceId());
        assertEquals(MessageType.PREKEY, back.envelope().type());
        assertArrayEquals(CIPHERTEXT, back.envelope().content());
        assertEquals(11L, back.envelope().clientTimestamp());
        assertEquals(12L, back.envelope().serverTimestamp());
    }

    @Test
    void send_andItsResults_roundTrip() {
        SendMessageRequest request = new SendMessageRequest(42L,
                List.of(new OutgoingMessage(1, 77, MessageType.SIGNAL, CIPHERTEXT)),
                List.of(new OutgoingMessage(2, 78, MessageType.PREKEY, CIPHERTEXT)));
        Frame.Send send = assertInstanceOf(Frame.Send.class,
                BinaryFrames.decode(BinaryFrames.encode(new Frame.Send("id-7", "bob", request))));
        assertEquals("id-7", send.id());
        assertEquals("bob", send.destination());
        assertEquals(42L, send.message().timestamp());
        assertEquals(77, send.message().messages().getFirst().registrationId());
        assertEquals(MessageType.PREKEY, send.message().syncMessages().getFirst().type());

        Frame.SendResult ok = new Frame.SendResult("id-7", 200,
                new SendMessageResponse(5L, List.of(new EnvelopeReceipt("bob", 1, "g"))), null);
        assertEquals(ok, BinaryFrames.decode(BinaryFrames.encode(ok)));
        Frame.SendResult refused = new Frame.SendResult("id-8", 409, null, new Frame.SendError("mismatched_devices", "m",
                List.of(new DeviceMismatch("bob", List.of(2), List.of())), null, null));
        assertEquals(refused, BinaryFrames.decode(BinaryFrames.encode(refused)));
        assertEquals(new Frame.Ack("g"), BinaryFrames.decode(BinaryFrames.encode(new Frame.Ack("g"))));
        assertEquals(new Frame.QueueEmpty(), BinaryFrames.decode(BinaryFrames.encode(new Frame.QueueEmpty())));
    }

    @Test
    void ack_isTheDocumentedBytes() {
        assertArrayEquals(new byte[] {3, 0, 2, 'a', 'b'}, BinaryFrames.encode(new Frame.Ack("ab")));
    }

    @Test
    void decode_truncatedTrailingOrUnknown_isRefused() {
        byte[] ack = BinaryFrames.encode(new Frame.Ack("guid"));
        assertThrows(IllegalArgumentException.class, () -> BinaryFrames.decode(Arrays.copyOf(ack, ack.length - 1)));
        assertThrows(IllegalArgumentException.class, () -> BinaryFrames.decode(Arrays.copyOf(ack, ack.length + 1)));
        assertThrows(IllegalArgumentException.class, () -> BinaryFrames.decode(new byte[] {9}));
        assertThrows(IllegalArgumentException.class, () -> BinaryFrames.decode(new byte[] {4, 0, 1, 'x', 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0}));
        assertEquals("x", BinaryFrames.sendId(new byte[] {4, 0, 1, 'x', 0}));
    }
}
