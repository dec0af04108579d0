// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.protocol;

import com.fasterxml.jackson.annotation.JsonValue;

/** Where a message to a handle goes: over Parley, or out as SMS because the handle has no Parley device. */
public enum Route {
    PARLEY("parley"),
    SMS("sms");

    private final String wire;

    Route(String wire) {
        this.wire = wire;
    }

    @JsonValue
    public String wire() {
        return wire;
    }

    public static Route fromWire(String value) {
        for (Route r : values()) {
            if (r.wire.equals(value)) {
                return r;
            }
        }
        throw new IllegalArgumentException("route must be parley or sms, was " + value);
    }
}
