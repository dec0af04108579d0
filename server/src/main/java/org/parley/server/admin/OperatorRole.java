// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.admin;

/**
 * What an operator token may do. Each endpoint names the roles it accepts
 * ({@link OperatorAuthenticator#require}); docs/privacy.md has the table.
 * <ul>
 *   <li>{@link #ADMIN}: runs the server; reads the raw lookup log and the audit log.</li>
 *   <li>{@link #LEGAL_REVIEWER}: works lawful requests through the legal register; deliberately no raw
 *       lookup-log access, so that user data leaves only through a reviewed request.</li>
 *   <li>{@link #AUDITOR}: reads and verifies the audit log; no user data at all.</li>
 * </ul>
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

    /** Every role's wire name, for messages. */
    public static String wireNames() {
        return String.join(", ", java.util.Arrays.stream(values()).map(OperatorRole::wire).toList());
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
