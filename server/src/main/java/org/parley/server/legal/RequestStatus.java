// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.legal;

/** Where a request stands. Transitions: registered → approved → produced, or registered → rejected. */
enum RequestStatus {
    REGISTERED("registered"),
    REJECTED("rejected"),
    APPROVED("approved"),
    PRODUCED("produced");

    private final String wire;

    RequestStatus(String wire) {
        this.wire = wire;
    }

    public String wire() {
        return wire;
    }

    static RequestStatus fromWire(String value) {
        for (RequestStatus s : values()) {
            if (s.wire.equals(value)) {
                return s;
            }
        }
        throw new IllegalStateException("unknown stored status " + value);
    }
}
