// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.legal;

import java.util.Arrays;
import java.util.stream.Collectors;

/** The data categories a legal request can ask for; each is one pair of files in a package. */
enum LegalCategory {
    /** The account: handle, creation dates, devices' creation and last-seen days. */
    SUBSCRIBER("subscriber"),
    /** Lookup-log entries of lookups the target's account made. */
    LOOKUP_LOG_BY_TARGET("lookup-log-by-target"),
    /** Lookup-log entries of lookups of the target's handles by anyone else. */
    LOOKUP_LOG_OF_TARGET("lookup-log-of-target");

    private final String wire;

    LegalCategory(String wire) {
        this.wire = wire;
    }

    public String wire() {
        return wire;
    }

    /** @throws IllegalArgumentException naming the valid names */
    public static LegalCategory fromWire(String value) {
        for (LegalCategory c : values()) {
            if (c.wire.equals(value)) {
                return c;
            }
        }
        throw new IllegalArgumentException("unknown data category '" + value + "'; use one of " + names());
    }

    public static String names() {
        return Arrays.stream(values()).map(LegalCategory::wire).collect(Collectors.joining(", "));
    }
}
