// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.bench;

import java.util.Locale;
import picocli.CommandLine;

/**
 * Where the client's libsignal work happens. {@code PRECOMPUTED}: sessions are real, but every ciphertext
 * is made before the measurement and receivers ack without decrypting, so the run measures the server.
 * {@code REAL}: each message is encrypted when sent and decrypted when received, the whole path.
 */
enum CryptoMode {
    REAL, PRECOMPUTED;

    String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    static final class Converter implements CommandLine.ITypeConverter<CryptoMode> {
        @Override
        public CryptoMode convert(String value) {
            for (CryptoMode m : values()) {
                if (m.wire().equals(value.strip().toLowerCase(Locale.ROOT))) {
                    return m;
                }
            }
            throw new CommandLine.TypeConversionException("--crypto must be real or precomputed, was '" + value + "'");
        }
    }
}
