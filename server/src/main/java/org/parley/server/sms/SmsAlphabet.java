// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.sms;

import java.util.Locale;

/** How an SMS's text is encoded, with the SMPP {@code data_coding} that names it. */
public enum SmsAlphabet {
    /** GSM 03.38 default alphabet (SMSC default, {@code data_coding 0x00}), unpacked septets. */
    GSM7((byte) 0x00),
    /** UCS-2, in practice UTF-16BE ({@code data_coding 0x08}). */
    UCS2((byte) 0x08);

    private final byte dataCoding;

    SmsAlphabet(byte dataCoding) {
        this.dataCoding = dataCoding;
    }

    public byte dataCoding() {
        return dataCoding;
    }

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static SmsAlphabet fromWire(String wire) {
        return valueOf(wire.toUpperCase(Locale.ROOT));
    }

    /** The alphabet of an SMPP {@code data_coding}; anything but UCS-2 is read as the default alphabet. */
    public static SmsAlphabet ofDataCoding(byte dataCoding) {
        return dataCoding == UCS2.dataCoding ? UCS2 : GSM7;
    }
}
