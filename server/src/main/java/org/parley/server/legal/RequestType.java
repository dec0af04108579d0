// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.legal;

import java.util.Arrays;
import java.util.stream.Collectors;

/** The kinds of legal request the register knows, by their wire names. */
enum RequestType {
    PRESERVATION("preservation"),
    SUBPOENA("subpoena"),
    COURT_ORDER("court-order"),
    SEARCH_WARRANT("search-warrant"),
    PEN_REGISTER("pen-register"),
    EMERGENCY("emergency");

    private final String wire;

    RequestType(String wire) {
        this.wire = wire;
    }

    public String wire() {
        return wire;
    }

    /** Preservation freezes data; it never leads to a production. */
    public boolean produces() {
        return this != PRESERVATION;
    }

    /** @throws IllegalArgumentException naming the valid names */
    public static RequestType fromWire(String value) {
        for (RequestType t : values()) {
            if (t.wire.equals(value)) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown request type '" + value + "'; use one of " + names());
    }

    public static String names() {
        return Arrays.stream(values()).map(RequestType::wire).collect(Collectors.joining(", "));
    }
}
