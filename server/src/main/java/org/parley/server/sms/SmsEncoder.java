// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.sms;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Turns a text into the {@code short_message} octets of one or more SMPP {@code submit_sm}s.
 *
 * <p>GSM 03.38 7-bit when every character is in the default alphabet or its extension table (an
 * extension character costs two septets), otherwise UCS-2. A text that fits one message (160 septets,
 * 70 UCS-2 code units) goes as it is; a longer one is cut into parts of at most 153 septets or 67
 * code units, each led by a 6-octet concatenation header (IEI 0x00: 8-bit reference, total, sequence).
 * A part boundary never falls between an escape and its extension septet, nor between the two halves
 * of a surrogate pair, because the cut is made between characters (code points), never inside one.
 */
final class SmsEncoder {
    static final int GSM7_SINGLE = 160;
    static final int GSM7_PART = 153;
    static final int UCS2_SINGLE = 70;
    static final int UCS2_PART = 67;
    /** An 8-bit concatenation reference allows 255 parts; the service sets its own, lower limit. */
    static final int MAX_PARTS = 255;
    static final int UDH_LENGTH = 6;

    private SmsEncoder() {}

    /** The encoded text; {@code parts} holds each part's {@code short_message}, header included when there are several. */
    record Encoded(SmsAlphabet alphabet, List<byte[]> parts) {
        Encoded {
            parts = List.copyOf(parts);
        }

        boolean concatenated() {
            return parts.size() > 1;
        }
    }

    /** The alphabet {@code text} needs. */
    static SmsAlphabet alphabetOf(String text) {
        return Gsm7.encodable(text) ? SmsAlphabet.GSM7 : SmsAlphabet.UCS2;
    }

    /** How many parts {@code text} takes, without encoding it. */
    static int partCount(String text) {
        return cuts(text, alphabetOf(text)).size() - 1;
    }

    /**
     * Encodes {@code text}; {@code reference} (0..255) names the parts of one concatenated message and
     * must be the same whenever the same message is submitted again.
     *
     * @throws IllegalArgumentException when the text is empty, holds an unpaired surrogate, or needs more than 255 parts
     */
    static Encoded encode(String text, int reference) {
        if (reference < 0 || reference > 255) {
            throw new IllegalArgumentException("a concatenation reference is 0..255, not " + reference);
        }
        SmsAlphabet alphabet = alphabetOf(text);
        List<Integer> cuts = cuts(text, alphabet);
        int total = cuts.size() - 1;
        List<byte[]> parts = new ArrayList<>(total);
        for (int i = 0; i < total; i++) {
            byte[] payload = payload(text.substring(cuts.get(i), cuts.get(i + 1)), alphabet);
            if (total == 1) {
                parts.add(payload);
            } else {
                byte[] part = new byte[UDH_LENGTH + payload.length];
                part[0] = 0x05; // header length
                part[1] = 0x00; // IEI: concatenated short message, 8-bit reference
                part[2] = 0x03; // IE length
                part[3] = (byte) reference;
                part[4] = (byte) total;
                part[5] = (byte) (i + 1);
                System.arraycopy(payload, 0, part, UDH_LENGTH, payload.length);
                parts.add(part);
            }
        }
        return new Encoded(alphabet, parts);
    }

    /**
     * The char indexes where parts start, plus {@code text.length()} at the end. Cuts are made only at
     * code-point boundaries, and a GSM character's septets (one or two) always stay together.
     */
    private static List<Integer> cuts(String text, SmsAlphabet alphabet) {
        if (text.isEmpty()) {
            throw new IllegalArgumentException("an SMS needs at least one character");
        }
        int single = alphabet == SmsAlphabet.GSM7 ? GSM7_SINGLE : UCS2_SINGLE;
        int perPart = alphabet == SmsAlphabet.GSM7 ? GSM7_PART : UCS2_PART;
        int units = 0;
        for (int i = 0; i < text.length(); ) {
            int width = width(text, i);
            units += cost(text, i, alphabet, width);
            i += width;
        }
        List<Integer> cuts = new ArrayList<>();
        cuts.add(0);
        if (units > single) {
            int used = 0;
            for (int i = 0; i < text.length(); ) {
                int width = width(text, i);
                int cost = cost(text, i, alphabet, width);
                if (used + cost > perPart) {
                    cuts.add(i);
                    used = 0;
                }
                used += cost;
                i += width;
            }
        }
        cuts.add(text.length());
        if (cuts.size() - 1 > MAX_PARTS) {
            throw new IllegalArgumentException("the text needs " + (cuts.size() - 1) + " parts; at most " + MAX_PARTS
                    + " can be concatenated");
        }
        return cuts;
    }

    /** Chars of the code point at {@code i}: 2 for a surrogate pair, else 1; an unpaired surrogate is refused. */
    private static int width(String text, int i) {
        char c = text.charAt(i);
        if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
            return 2;
        }
        if (Character.isSurrogate(c)) {
            throw new IllegalArgumentException("the text holds an unpaired surrogate at index " + i
                    + "; send well-formed Unicode");
        }
        return 1;
    }

    /** Septets (GSM-7) or UTF-16 code units (UCS-2) of the code point at {@code i}. */
    private static int cost(String text, int i, SmsAlphabet alphabet, int width) {
        return alphabet == SmsAlphabet.GSM7 ? Gsm7.cost(text.charAt(i)) : width;
    }

    private static byte[] payload(String chunk, SmsAlphabet alphabet) {
        if (alphabet == SmsAlphabet.UCS2) {
            return chunk.getBytes(StandardCharsets.UTF_16BE);
        }
        byte[] out = new byte[chunk.length() * 2];
        int at = 0;
        for (int i = 0; i < chunk.length(); i++) {
            at = Gsm7.append(chunk.charAt(i), out, at);
        }
        return Arrays.copyOf(out, at);
    }

    /** The text of one part's {@code short_message} (header skipped when {@code concatenated}); the tests' SMSC uses it. */
    static String decode(byte[] shortMessage, SmsAlphabet alphabet, boolean concatenated) {
        int from = concatenated ? (shortMessage[0] & 0xFF) + 1 : 0;
        if (alphabet == SmsAlphabet.UCS2) {
            return new String(shortMessage, from, shortMessage.length - from, StandardCharsets.UTF_16BE);
        }
        return Gsm7.decode(shortMessage, from, shortMessage.length);
    }
}
