// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.sms;

import java.util.HashMap;
import java.util.Map;

/**
 * The GSM 03.38 (3GPP TS 23.038) default alphabet and its extension table. A character of the basic
 * table costs one septet; one of the extension table costs two (the escape {@code 0x1B} and its code),
 * which is why "fits in 160" counts septets, not characters.
 *
 * <p>Septets travel unpacked, one per octet, as SMPP's {@code data_coding 0x00} expects: the SMSC
 * packs them for the air interface.
 */
final class Gsm7 {
    static final int ESCAPE = 0x1B;

    /**
     * The basic table, indexed by septet. {@code 0x1B} is the escape and has no character of its own;
     * the replacement character marks it so that no text maps to it.
     */
    private static final String BASIC =
            "@£$¥èéùìòÇ\nØø\rÅå"
            + "Δ_ΦΓΛΩΠΨΣΘΞ\uFFFDÆæßÉ"
            + " !\"#¤%&'()*+,-./"
            + "0123456789:;<=>?"
            + "¡ABCDEFGHIJKLMNO"
            + "PQRSTUVWXYZÄÖÑÜ§"
            + "¿abcdefghijklmno"
            + "pqrstuvwxyzäöñüà";

    /** The extension table: character to the septet that follows the escape. */
    private static final Map<Character, Integer> EXTENSION = Map.of(
            '\f', 0x0A, '^', 0x14, '{', 0x28, '}', 0x29, '\\', 0x2F,
            '[', 0x3C, '~', 0x3D, ']', 0x3E, '|', 0x40, '€', 0x65);

    private static final Map<Character, Integer> BASIC_INDEX = new HashMap<>();
    private static final char[] EXTENSION_CHARS = new char[128];

    static {
        if (BASIC.length() != 128) {
            throw new IllegalStateException("the GSM basic table must have 128 entries, has " + BASIC.length());
        }
        for (int i = 0; i < 128; i++) {
            if (i != ESCAPE) {
                BASIC_INDEX.put(BASIC.charAt(i), i);
            }
        }
        EXTENSION.forEach((c, septet) -> EXTENSION_CHARS[septet] = c);
    }

    private Gsm7() {}

    /** Septets {@code c} costs: 1 (basic table), 2 (extension table) or -1 (not in the alphabet). */
    static int cost(char c) {
        if (BASIC_INDEX.containsKey(c)) {
            return 1;
        }
        return EXTENSION.containsKey(c) ? 2 : -1;
    }

    /** True when every character of {@code text} is in the basic or the extension table. */
    static boolean encodable(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (cost(text.charAt(i)) < 0) {
                return false;
            }
        }
        return true;
    }

    /** Appends the septets of {@code c} (one, or the escape and one); {@code c} must be {@link #encodable}. */
    static int append(char c, byte[] out, int at) {
        Integer basic = BASIC_INDEX.get(c);
        if (basic != null) {
            out[at] = (byte) (int) basic;
            return at + 1;
        }
        Integer extended = EXTENSION.get(c);
        if (extended == null) {
            throw new IllegalArgumentException("U+" + Integer.toHexString(c) + " is not in the GSM 03.38 alphabet");
        }
        out[at] = ESCAPE;
        out[at + 1] = (byte) (int) extended;
        return at + 2;
    }

    /**
     * The text of unpacked septets; the inverse of {@link #append}. An escape followed by a septet
     * the extension table does not define decodes as the basic character, as 23.038 prescribes.
     */
    static String decode(byte[] septets, int from, int to) {
        StringBuilder out = new StringBuilder(to - from);
        for (int i = from; i < to; i++) {
            int s = septets[i] & 0x7F;
            if (s == ESCAPE && i + 1 < to) {
                int next = septets[++i] & 0x7F;
                char ext = EXTENSION_CHARS[next];
                out.append(ext != 0 ? ext : BASIC.charAt(next));
            } else {
                out.append(BASIC.charAt(s));
            }
        }
        return out.toString();
    }
}
