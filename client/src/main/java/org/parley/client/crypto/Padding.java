// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.client.crypto;

import java.util.Arrays;

/**
 * Pads every plaintext to a multiple of {@value #BUCKET} bytes before encryption, so that the size
 * of a ciphertext tells the server only its bucket: a receipt, a typing notice and a short text
 * look the same. The padding is one {@code 0x80} byte then zeros (ISO/IEC 7816-4, as Signal pads).
 *
 * <p>{@link #strip} also accepts an unpadded plaintext from an older client: Parley's JSON plaintext
 * ends with {@code '}'}, never with {@code 0x80} followed by zeros.
 */
public final class Padding {
    public static final int BUCKET = 160;
    private static final byte MARK = (byte) 0x80;

    private Padding() {}

    public static byte[] pad(byte[] plaintext) {
        int padded = (plaintext.length / BUCKET + 1) * BUCKET;
        byte[] out = Arrays.copyOf(plaintext, padded);
        out[plaintext.length] = MARK;
        return out;
    }

    public static byte[] strip(byte[] padded) {
        int i = padded.length - 1;
        while (i >= 0 && padded[i] == 0) {
            i--;
        }
        if (i >= 0 && padded[i] == MARK) {
            return Arrays.copyOf(padded, i);
        }
        return padded;
    }
}
