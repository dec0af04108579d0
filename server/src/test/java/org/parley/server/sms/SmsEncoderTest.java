// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.sms;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Encoding and segmentation at the boundaries that matter: 160/161 septets, 70/71 code units, escapes and surrogates at cuts. */
class SmsEncoderTest {
    private static final String EMOJI = "😀"; // U+1F600: a surrogate pair in UTF-16

    @Test
    void encode_plainAscii_isGsm7OneSeptetPerCharacter() {
        SmsEncoder.Encoded e = SmsEncoder.encode("Hello @ £5", 0);
        assertEquals(SmsAlphabet.GSM7, e.alphabet());
        assertArrayEquals(new byte[] {'H', 'e', 'l', 'l', 'o', ' ', 0x00, ' ', 0x01, '5'}, e.parts().getFirst());
    }

    @Test
    void encode_extensionCharacters_costEscapePlusCode() {
        SmsEncoder.Encoded e = SmsEncoder.encode("€[]{}", 0);
        assertEquals(SmsAlphabet.GSM7, e.alphabet());
        assertArrayEquals(new byte[] {0x1B, 0x65, 0x1B, 0x3C, 0x1B, 0x3E, 0x1B, 0x28, 0x1B, 0x29}, e.parts().getFirst());
    }

    @Test
    void encode_emoji_isUcs2Utf16BigEndian() {
        SmsEncoder.Encoded e = SmsEncoder.encode("hi " + EMOJI, 0);
        assertEquals(SmsAlphabet.UCS2, e.alphabet());
        assertArrayEquals(("hi " + EMOJI).getBytes(StandardCharsets.UTF_16BE), e.parts().getFirst());
    }

    @Test
    void encode_oneCharacterOutsideGsm_makesTheWholeTextUcs2() {
        assertEquals(SmsAlphabet.UCS2, SmsEncoder.alphabetOf("a".repeat(100) + "ç")); // ç is not GSM (Ç is)
        assertEquals(SmsAlphabet.GSM7, SmsEncoder.alphabetOf("a".repeat(100) + "Ç"));
    }

    @Test
    void encode_160Septets_isOnePartWithoutHeader() {
        SmsEncoder.Encoded e = SmsEncoder.encode("a".repeat(160), 7);
        assertEquals(1, e.parts().size());
        assertEquals(160, e.parts().getFirst().length);
    }

    @Test
    void encode_161Septets_isTwoPartsOf153And8() {
        SmsEncoder.Encoded e = SmsEncoder.encode("a".repeat(161), 7);
        assertEquals(2, e.parts().size());
        assertEquals(6 + 153, e.parts().get(0).length);
        assertEquals(6 + 8, e.parts().get(1).length);
        assertArrayEquals(new byte[] {5, 0, 3, 7, 2, 1}, java.util.Arrays.copyOf(e.parts().get(0), 6));
        assertArrayEquals(new byte[] {5, 0, 3, 7, 2, 2}, java.util.Arrays.copyOf(e.parts().get(1), 6));
    }

    @Test
    void encode_80EuroSigns_fill160SeptetsInOnePart() {
        assertEquals(1, SmsEncoder.encode("€".repeat(80), 0).parts().size());
        assertEquals(2, SmsEncoder.encode("€".repeat(80) + "a", 0).parts().size());
    }

    @Test
    void encode_extensionCharacterAtPartBoundary_movesWholeToNextPart() {
        // 152 septets, then € would need septets 153 and 154: it must not be split.
        SmsEncoder.Encoded e = SmsEncoder.encode("a".repeat(152) + "€" + "b".repeat(20), 1);
        assertEquals(2, e.parts().size());
        byte[] first = e.parts().get(0);
        assertEquals(6 + 152, first.length);
        assertEquals('a', first[first.length - 1]);
        assertEquals(0x1B, e.parts().get(1)[6]);
        assertEquals(0x65, e.parts().get(1)[7]);
    }

    @Test
    void encode_70Ucs2Units_isOnePart_71IsTwoOf67And4() {
        assertEquals(1, SmsEncoder.encode("я".repeat(70), 0).parts().size());
        SmsEncoder.Encoded e = SmsEncoder.encode("я".repeat(71), 0);
        assertEquals(2, e.parts().size());
        assertEquals(6 + 67 * 2, e.parts().get(0).length);
        assertEquals(6 + 4 * 2, e.parts().get(1).length);
    }

    @Test
    void encode_35Emoji_fill70UnitsInOnePart_36DoNot() {
        assertEquals(1, SmsEncoder.encode(EMOJI.repeat(35), 0).parts().size());
        SmsEncoder.Encoded e = SmsEncoder.encode(EMOJI.repeat(36), 0);
        assertEquals(2, e.parts().size());
        // 67 units cannot hold 34 pairs (68): the first part stops at 33 emoji, 66 units.
        assertEquals(6 + 66 * 2, e.parts().get(0).length);
    }

    @Test
    void encode_surrogatePairAtPartBoundary_isNotSplit() {
        SmsEncoder.Encoded e = SmsEncoder.encode("я".repeat(66) + EMOJI + "я".repeat(10), 3);
        assertEquals(2, e.parts().size());
        assertEquals(6 + 66 * 2, e.parts().get(0).length);
        assertEquals(EMOJI + "я".repeat(10), SmsEncoder.decode(e.parts().get(1), SmsAlphabet.UCS2, true));
    }

    @Test
    void encode_unpairedSurrogate_isRefused() {
        assertThrows(IllegalArgumentException.class, () -> SmsEncoder.encode("a\uD83Db", 0));
        assertThrows(IllegalArgumentException.class, () -> SmsEncoder.encode("", 0));
    }

    @Test
    void partCount_matchesEncode() {
        for (String text : List.of("a".repeat(160), "a".repeat(161), "€".repeat(81), EMOJI.repeat(36), "я".repeat(500))) {
            assertEquals(SmsEncoder.encode(text, 0).parts().size(), SmsEncoder.partCount(text), text);
        }
        assertTrue(SmsEncoder.partCount("a".repeat(153 * 10)) == 10);
    }

    @Test
    void decode_everyBasicAndExtensionCharacter_roundTrips() {
        String all = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§"
                + "¿abcdefghijklmnopqrstuvwxyzäöñüà\f^{}\\[~]|€";
        SmsEncoder.Encoded e = SmsEncoder.encode(all, 0);
        assertEquals(SmsAlphabet.GSM7, e.alphabet());
        StringBuilder back = new StringBuilder();
        for (byte[] part : e.parts()) {
            back.append(SmsEncoder.decode(part, e.alphabet(), e.concatenated()));
        }
        assertEquals(all, back.toString());
    }
}
