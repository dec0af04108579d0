// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.legal;

/** What a production handed over: some records, or none (the package then says so). */
enum Outcome {
    PRODUCED_WITH_DATA("produced-with-data"),
    PRODUCED_WITHOUT_DATA("produced-without-data");

    private final String wire;

    Outcome(String wire) {
        this.wire = wire;
    }

    public String wire() {
        return wire;
    }

    static Outcome fromWire(String value) {
        for (Outcome o : values()) {
            if (o.wire.equals(value)) {
                return o;
            }
        }
        throw new IllegalStateException("unknown stored outcome " + value);
    }
}
