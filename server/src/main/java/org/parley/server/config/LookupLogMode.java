// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.config;

import java.util.Locale;

/** What the lookup log records about each capability lookup. */
public enum LookupLogMode {
    /** Time, requester, queried handle, route and the client IP, as the described system logs. */
    FULL("full"),
    /** As FULL, with the IP cut to its network: IPv4 /24, IPv6 /48. */
    TRUNCATED_IP("truncated-ip"),
    /** As FULL, without any IP. */
    NO_IP("no-ip"),
    /** Nothing is written. */
    OFF("off");

    private final String wire;

    LookupLogMode(String wire) {
        this.wire = wire;
    }

    public String wire() {
        return wire;
    }

    public static LookupLogMode parse(String value) {
        String v = value.strip().toLowerCase(Locale.ROOT);
        for (LookupLogMode m : values()) {
            if (m.wire.equals(v)) {
                return m;
            }
        }
        throw new ConfigException("lookup-log.mode must be one of full, truncated-ip, no-ip, off; was '" + value + "'");
    }
}
