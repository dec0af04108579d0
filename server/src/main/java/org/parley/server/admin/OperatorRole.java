// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.admin;

/**
 * What an operator token may do. Only {@link #ADMIN} is issued today; the other roles are already
 * allowed by the schema so that named, narrower tokens can arrive without a table rebuild.
 */
public enum OperatorRole {
    ADMIN("admin"),
    LEGAL_REVIEWER("legal-reviewer"),
    AUDITOR("auditor");

    private final String wire;

    OperatorRole(String wire) {
        this.wire = wire;
    }

    /** The text stored in {@code operator_tokens.role}. */
    public String wire() {
        return wire;
    }

    public static OperatorRole fromWire(String value) {
        for (OperatorRole r : values()) {
            if (r.wire.equals(value)) {
                return r;
            }
        }
        throw new IllegalArgumentException("unknown operator role " + value);
    }
}
