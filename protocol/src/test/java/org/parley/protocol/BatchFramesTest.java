// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.arbitraries.ListArbitrary;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/** Batch frames ({@link BinaryFrames#BATCH}): layout, round trip, and refusal of every malformed batch. */
class BatchFramesTest {
    private static final byte[] ACK = BinaryFrames.encode(new Frame.Ack("g"));
    private static final byte[] QUEUE_EMPTY = BinaryFrames.encode(new Frame.QueueEmpty());

    @Test
    void batch_isTheDocumentedBytes() {
        assertArrayEquals(new byte[] {6, 0, 2, 0, 0, 0, 4, 3, 0, 1, 'g', 0, 0, 0, 1, 2},
                BinaryFrames.batch(List.of(ACK, QUEUE_EMPTY)));
    }

    @Test
    void split_givesTheFramesBackInOrder_decodable() {
        Frame.Send send = new Frame.Send("1", "bob", new SendMessageRequest(5L,
                List.of(new OutgoingMessage(1, 2, MessageType.SIGNAL, new byte[] {9})), List.of()));
        List<byte[]> parts = BinaryFrames.split(BinaryFrames.batch(List.of(ACK, BinaryFrames.encode(send), QUEUE_EMPTY)));
        assertEquals(3, parts.size());
        assertEquals(new Frame.Ack("g"), BinaryFrames.decode(parts.get(0)));
        assertEquals(send.id(), ((Frame.Send) BinaryFrames.decode(parts.get(1))).id());
        assertEquals(new Frame.QueueEmpty(), BinaryFrames.decode(parts.get(2)));
    }

    @Test
    void malformedBatches_areRefused() {
        byte[] good = BinaryFrames.batch(List.of(ACK, QUEUE_EMPTY));
        assertThrows(IllegalArgumentException.class, () -> BinaryFrames.split(new byte[] {6}));
        assertThrows(IllegalArgumentException.class, () -> BinaryFrames.split(new byte[] {6, 0, 0}), "no frames");
        assertThrows(IllegalArgumentException.class, () -> BinaryFrames.split(Arrays.copyOf(good, good.length - 1)));
        assertThrows(IllegalArgumentException.class, () -> BinaryFrames.split(Arrays.copyOf(good, good.length + 1)));
        assertThrows(IllegalArgumentException.class, () -> BinaryFrames.split(new byte[] {6, 0, 1, 0, 0, 0, 0}), "empty frame");
        assertThrows(IllegalArgumentException.class, () -> BinaryFrames.split(new byte[] {6, 0, 1, 0x7F, 0, 0, 0, 2}));
        assertThrows(IllegalArgumentException.class, () -> BinaryFrames.split(new byte[] {6, 0, 1, (byte) 0xFF, 0, 0, 0, 2}));
        byte[] nested = ByteBuffer.allocate(3 + 4 + good.length).put((byte) 6).putShort((short) 1).putInt(good.length)
                .put(good).array();
        assertThrows(IllegalArgumentException.class, () -> BinaryFrames.split(nested), "a batch in a batch");
        byte[] tooMany = ByteBuffer.allocate(3).put((byte) 6).putShort((short) (BinaryFrames.MAX_BATCH_FRAMES + 1)).array();
        assertThrows(IllegalArgumentException.class, () -> BinaryFrames.split(tooMany));
        assertThrows(IllegalArgumentException.class, () -> BinaryFrames.split(ACK), "not a batch");
        assertThrows(IllegalArgumentException.class, () -> BinaryFrames.decode(good), "decode takes one frame only");
    }

    @Test
    void batch_refusesWhatItCannotCarry() {
        assertThrows(IllegalArgumentException.class, () -> BinaryFrames.batch(List.of()));
        assertThrows(IllegalArgumentException.class, () -> BinaryFrames.batch(List.of(new byte[0])));
        assertThrows(IllegalArgumentException.class,
                () -> BinaryFrames.batch(List.of(BinaryFrames.batch(List.of(ACK)))));
        assertThrows(IllegalArgumentException.class,
                () -> BinaryFrames.batch(Collections.nCopies(BinaryFrames.MAX_BATCH_FRAMES + 1, ACK)));
        assertThrows(IllegalArgumentException.class,
                () -> BinaryFrames.batch(List.of(new byte[BinaryFrames.MAX_BATCH_BYTES], ACK)));
    }

    @Property
    void anyFrames_roundTrip(@ForAll("frames") @Size(min = 1, max = 40) List<byte[]> frames) {
        List<byte[]> back = BinaryFrames.split(BinaryFrames.batch(frames));
        assertEquals(frames.size(), back.size());
        for (int i = 0; i < frames.size(); i++) {
            assertArrayEquals(frames.get(i), back.get(i));
        }
    }

    /** Whatever the bytes, split either returns frames or refuses with IllegalArgumentException: never another failure. */
    @Property
    void anyBytes_areSplitOrRefused_neverAnotherException(@ForAll("mutatedBatches") byte[] data) {
        try {
            List<byte[]> parts = BinaryFrames.split(data);
            assertArrayEquals(data, BinaryFrames.batch(parts), "what split accepts is exactly one batch");
        } catch (IllegalArgumentException refused) {
            // refused: the server closes with 1007
        }
    }

    @Provide
    ListArbitrary<byte[]> frames() {
        Arbitrary<byte[]> frame = Arbitraries.bytes().array(byte[].class).ofMinSize(1).ofMaxSize(60)
                .filter(f -> f[0] != BinaryFrames.BATCH);
        return frame.list();
    }

    @Provide
    Arbitrary<byte[]> mutatedBatches() {
        Arbitrary<byte[]> valid = frames().ofMinSize(1).ofMaxSize(8).map(BinaryFrames::batch);
        return Arbitraries.oneOf(
                valid,
                Arbitraries.bytes().array(byte[].class).ofMaxSize(40).map(BatchFramesTest::prefixed),
                Arbitraries.integers().between(0, 1000).flatMap(seed -> valid.map(b -> flip(b, seed))),
                valid.map(b -> Arrays.copyOf(b, Math.max(1, b.length / 2))));
    }

    private static byte[] prefixed(byte[] b) {
        byte[] out = new byte[b.length + 1];
        out[0] = BinaryFrames.BATCH;
        System.arraycopy(b, 0, out, 1, b.length);
        return out;
    }

    private static byte[] flip(byte[] b, int seed) {
        byte[] out = b.clone();
        int at = 1 + seed % (out.length - 1);
        out[at] = (byte) (out[at] ^ (1 + seed % 255));
        return out;
    }
}
