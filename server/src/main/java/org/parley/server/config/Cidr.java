// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.config;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** An IP network such as {@code 10.0.0.0/8} or {@code 2001:db8::/32}, for the trusted-proxy list. */
public record Cidr(byte[] network, int prefixLength) {

    public static Cidr parse(String text) {
        String t = text.strip();
        int slash = t.indexOf('/');
        String addressPart = slash < 0 ? t : t.substring(0, slash);
        InetAddress address = literal(addressPart, "server.trusted-proxies entry '" + text + "'");
        byte[] bytes = address.getAddress();
        int max = bytes.length * 8;
        int prefix;
        try {
            prefix = slash < 0 ? max : Integer.parseInt(t.substring(slash + 1));
        } catch (NumberFormatException e) {
            throw new ConfigException("server.trusted-proxies entry '" + text + "' has a bad prefix length");
        }
        if (prefix < 0 || prefix > max) {
            throw new ConfigException("server.trusted-proxies entry '" + text + "' needs a prefix length of 0.." + max);
        }
        return new Cidr(mask(bytes, prefix), prefix);
    }

    public boolean contains(InetAddress address) {
        byte[] bytes = address.getAddress();
        return bytes.length == network.length && java.util.Arrays.equals(mask(bytes, prefixLength), network);
    }

    /** Zeroes every bit after the first {@code prefix} bits. */
    public static byte[] mask(byte[] address, int prefix) {
        byte[] out = address.clone();
        for (int i = 0; i < out.length; i++) {
            int bitsHere = Math.max(0, Math.min(8, prefix - i * 8));
            out[i] = (byte) (out[i] & (0xFF << (8 - bitsHere)));
        }
        return out;
    }

    /**
     * Parses an IP literal without ever touching DNS: {@link InetAddress#getByName} would resolve a
     * host name, which must not happen for addresses taken from request headers.
     */
    public static InetAddress literal(String text, String what) {
        String t = text.strip();
        if (t.startsWith("[") && t.endsWith("]")) {
            t = t.substring(1, t.length() - 1);
        }
        boolean looksLikeIp = !t.isEmpty() && (t.indexOf(':') >= 0 || t.chars().allMatch(c -> c == '.' || Character.isDigit(c)));
        if (!looksLikeIp) {
            throw new ConfigException(what + " is not an IP address");
        }
        try {
            return InetAddress.getByName(t);
        } catch (UnknownHostException e) {
            throw new ConfigException(what + " is not an IP address");
        }
    }

    public static boolean isLoopbackHost(String host) {
        String h = host.strip();
        if (h.equalsIgnoreCase("localhost")) {
            return true;
        }
        try {
            return literal(h, "host").isLoopbackAddress();
        } catch (ConfigException e) {
            return false;
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Cidr c && c.prefixLength == prefixLength && java.util.Arrays.equals(c.network, network);
    }

    @Override
    public int hashCode() {
        return java.util.Arrays.hashCode(network) * 31 + prefixLength;
    }

    @Override
    public String toString() {
        try {
            return InetAddress.getByAddress(network).getHostAddress() + "/" + prefixLength;
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
