// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.sms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/** Properties of the encoder over texts mixing GSM basic, GSM extension, other BMP and astral characters. */
class SmsEncoderPropertyTest {

    @Provide
    Arbitrary<String> gsmTexts() {
        Arbitrary<String> basic = Arbitraries.of("a", "Z", "0", " ", "@", "£", "Ä", "\n", "Δ", "ß");
        Arbitrary<String> extension = Arbitraries.of("€", "[", "]", "{", "}", "\\", "^", "~", "|", "\f");
        return Arbitraries.frequencyOf(
                        net.jqwik.api.Tuple.of(5, basic), net.jqwik.api.Tuple.of(2, extension))
                .list().ofMinSize(1).ofMaxSize(700).map(l -> String.join("", l));
    }

    @Provide
    Arbitrary<String> anyTexts() {
        Arbitrary<String> pieces = Arbitraries.oneOf(
                Arbitraries.of("a", "€", "[", "я", "ç", "中", "😀", "👍🏽", "𝄞"),
                Arbitraries.strings().withCharRange(' ', '\uD7FF').ofLength(1));
        return pieces.list().ofMinSize(1).ofMaxSize(400).map(l -> String.join("", l));
    }

    @Property
    void encode_anyText_decodesBackToTheSameText(@ForAll("anyTexts") String text, @ForAll @IntRange(max = 255) int ref) {
        assertEquals(text, decodeAll(SmsEncoder.encode(text, ref)));
    }

    @Property
    void encode_gsmText_decodesBackAndStaysGsm7(@ForAll("gsmTexts") String text) {
        SmsEncoder.Encoded e = SmsEncoder.encode(text, 9);
        assertEquals(SmsAlphabet.GSM7, e.alphabet());
        assertEquals(text, decodeAll(e));
    }

    @Property
    void encode_gsmText_partsRespectLimitsAndNeverEndOnAnEscape(@ForAll("gsmTexts") String text) {
        SmsEncoder.Encoded e = SmsEncoder.encode(text, 9);
        for (byte[] part : e.parts()) {
            int header = e.concatenated() ? SmsEncoder.UDH_LENGTH : 0;
            int septets = part.length - header;
            assertTrue(septets <= (e.concatenated() ? SmsEncoder.GSM7_PART : SmsEncoder.GSM7_SINGLE), "septets " + septets);
            assertNotEquals(Gsm7.ESCAPE, trailingEscapeRun(part, header) % 2 == 1 ? Gsm7.ESCAPE : 0,
                    "a part ends in the middle of an escape pair");
        }
    }

    @Property
    void encode_anyText_ucs2PartsRespectLimitsAndNeverEndOnAHighSurrogate(@ForAll("anyTexts") String text) {
        SmsEncoder.Encoded e = SmsEncoder.encode(text, 1);
        if (e.alphabet() != SmsAlphabet.UCS2) {
            return;
        }
        for (byte[] part : e.parts()) {
            int header = e.concatenated() ? SmsEncoder.UDH_LENGTH : 0;
            int units = (part.length - header) / 2;
            assertTrue(units <= (e.concatenated() ? SmsEncoder.UCS2_PART : SmsEncoder.UCS2_SINGLE), "units " + units);
            char last = (char) (((part[part.length - 2] & 0xFF) << 8) | (part[part.length - 1] & 0xFF));
            assertTrue(!Character.isHighSurrogate(last), "a part ends on a high surrogate");
            char first = (char) (((part[header] & 0xFF) << 8) | (part[header + 1] & 0xFF));
            assertTrue(!Character.isLowSurrogate(first), "a part starts on a low surrogate");
        }
    }

    @Property
    void encode_concatenated_headersNumberThePartsUnderOneReference(@ForAll("anyTexts") String text,
                                                                    @ForAll @IntRange(max = 255) int ref) {
        SmsEncoder.Encoded e = SmsEncoder.encode(text, ref);
        assertEquals(SmsEncoder.partCount(text), e.parts().size());
        if (!e.concatenated()) {
            return;
        }
        for (int i = 0; i < e.parts().size(); i++) {
            byte[] p = e.parts().get(i);
            assertEquals(5, p[0]);
            assertEquals(0, p[1]);
            assertEquals(3, p[2]);
            assertEquals(ref, p[3] & 0xFF);
            assertEquals(e.parts().size(), p[4] & 0xFF);
            assertEquals(i + 1, p[5] & 0xFF);
        }
    }

    @Property
    void encode_parts_areNoMoreThanAGreedyCutNeeds(@ForAll("gsmTexts") String text) {
        int septets = text.chars().map(c -> Gsm7.cost((char) c)).sum();
        int parts = SmsEncoder.partCount(text);
        if (septets <= SmsEncoder.GSM7_SINGLE) {
            assertEquals(1, parts);
        } else {
            // Escapes that do not fit at a part's end waste at most one septet per part.
            assertTrue(parts <= (septets + 151) / 152, septets + " septets in " + parts + " parts");
            assertTrue(parts >= (septets + 152) / 153);
        }
    }

    private static int trailingEscapeRun(byte[] part, int from) {
        int n = 0;
        for (int i = part.length - 1; i >= from && part[i] == Gsm7.ESCAPE; i--) {
            n++;
        }
        return n;
    }

    private static String decodeAll(SmsEncoder.Encoded e) {
        StringBuilder out = new StringBuilder();
        for (byte[] part : e.parts()) {
            out.append(SmsEncoder.decode(part, e.alphabet(), e.concatenated()));
        }
        return out.toString();
    }
}
