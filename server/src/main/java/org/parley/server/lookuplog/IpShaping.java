// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.lookuplog;

import java.net.InetAddress;
import java.util.Arrays;
import org.parley.server.config.Cidr;
import org.parley.server.config.LookupLogMode;

/**
 * Turns a client address into the text the lookup log stores for a mode. Formatting is done here,
 * not with {@link InetAddress#getHostAddress()}, because that prints IPv6 uncompressed
 * ({@code 2001:db8:1:0:0:0:0:0}) and with scope ids; the log uses RFC 5952 text ({@code 2001:db8:1::}).
 */
public final class IpShaping {
    /** IPv4 keeps its /24, IPv6 its /48: the network, not the subscriber. */
    static final int IPV4_PREFIX = 24;
    static final int IPV6_PREFIX = 48;

    private IpShaping() {}

    /** The stored text for {@code address} under {@code mode}; null when the mode keeps no IP or the address is unknown. */
    public static String shape(InetAddress address, LookupLogMode mode) {
        if (address == null) {
            return null;
        }
        byte[] bytes = unmapped(address.getAddress());
        return switch (mode) {
            case FULL -> format(bytes);
            case TRUNCATED_IP -> format(Cidr.mask(bytes, bytes.length == 4 ? IPV4_PREFIX : IPV6_PREFIX));
            case NO_IP, OFF -> null;
        };
    }

    /** {@code ::ffff:a.b.c.d} is an IPv4 client seen through a dual-stack socket: treat it as IPv4. */
    static byte[] unmapped(byte[] bytes) {
        if (bytes.length == 16) {
            for (int i = 0; i < 10; i++) {
                if (bytes[i] != 0) {
                    return bytes;
                }
            }
            if (bytes[10] == (byte) 0xFF && bytes[11] == (byte) 0xFF) {
                return Arrays.copyOfRange(bytes, 12, 16);
            }
        }
        return bytes;
    }

    /** Dotted quad for IPv4; RFC 5952 for IPv6 (lower-case hex, longest zero run of two or more groups as ::). */
    static String format(byte[] bytes) {
        if (bytes.length == 4) {
            return (bytes[0] & 0xFF) + "." + (bytes[1] & 0xFF) + "." + (bytes[2] & 0xFF) + "." + (bytes[3] & 0xFF);
        }
        if (bytes.length != 16) {
            throw new IllegalArgumentException("an IP address has 4 or 16 bytes, not " + bytes.length);
        }
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) {
            groups[i] = ((bytes[2 * i] & 0xFF) << 8) | (bytes[2 * i + 1] & 0xFF);
        }
        int bestStart = -1;
        int bestLength = 1; // a single zero group is not compressed
        for (int i = 0; i < 8; ) {
            if (groups[i] != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && groups[j] == 0) {
                j++;
            }
            if (j - i > bestLength) {
                bestStart = i;
                bestLength = j - i;
            }
            i = j;
        }
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                out.append("::");
                i += bestLength - 1;
                continue;
            }
            if (!out.isEmpty() && out.charAt(out.length() - 1) != ':') {
                out.append(':');
            }
            out.append(Integer.toHexString(groups[i]));
        }
        return out.toString();
    }
}
