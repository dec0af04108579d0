// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.bench;

import java.util.Locale;
import picocli.CommandLine;

/**
 * How the load generator sends. {@code WS}: {@code send} frames over each sending device's delivery
 * WebSocket (the one it also receives on), answered by {@code send-result} frames. {@code HTTP}: one
 * {@code PUT /v1/messages/{to}} per message, on a keep-alive connection per message in flight.
 */
enum Transport {
    WS, HTTP;

    String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    static final class Converter implements CommandLine.ITypeConverter<Transport> {
        @Override
        public Transport convert(String value) {
            for (Transport t : values()) {
                if (t.wire().equals(value.strip().toLowerCase(Locale.ROOT))) {
                    return t;
                }
            }
            throw new CommandLine.TypeConversionException("--transport must be ws or http, was '" + value + "'");
        }
    }
}
