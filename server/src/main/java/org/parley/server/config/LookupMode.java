// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.config;

/** {@code lookup.mode}: which capability lookups the server answers. */
public enum LookupMode {
    /** Only the plain endpoints: the server sees each handle looked up. */
    PLAIN("plain"),
    /** Only the OPRF lookup: the server sees a bucket, never the handle. */
    PRIVATE("private"),
    /** Both; the client chooses. */
    BOTH("both");

    private final String wire;

    LookupMode(String wire) {
        this.wire = wire;
    }

    public String wire() {
        return wire;
    }

    public boolean plainAllowed() {
        return this != PRIVATE;
    }

    public boolean privateAllowed() {
        return this != PLAIN;
    }

    /** The configured mode. */
    public static LookupMode of(ServerConfig config) {
        String v = config.tree().choice("lookup.mode", "plain", "private", "both");
        for (LookupMode m : values()) {
            if (m.wire.equals(v)) {
                return m;
            }
        }
        throw new IllegalStateException(v);
    }
}
