// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.cli;

import picocli.CommandLine;

/**
 * {@code --port}: a TCP port, checked while parsing (a usage error, exit 1) so that a bad value stops
 * {@code parley server} before it creates anything, with the rule instead of the JDK's "port out of range".
 */
final class PortConverter implements CommandLine.ITypeConverter<Integer> {
    @Override
    public Integer convert(String value) {
        int port;
        try {
            port = Integer.parseInt(value.strip());
        } catch (NumberFormatException e) {
            throw new CommandLine.TypeConversionException("a port is a number in 0..65535 (0 picks a free one); was '" + value + "'");
        }
        if (port < 0 || port > 65535) {
            throw new CommandLine.TypeConversionException("a port is a number in 0..65535 (0 picks a free one); was " + port);
        }
        return port;
    }
}
