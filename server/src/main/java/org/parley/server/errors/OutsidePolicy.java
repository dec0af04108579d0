// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.errors;

/**
 * A legal request asking for data its type may not obtain under this server's policy. It is
 * recorded (as rejected) all the same: {@code requestId} is the record.
 */
public final class OutsidePolicy extends ServiceException {
    private static final long serialVersionUID = 1L;

    private final String reason;
    private final long requestId;

    public OutsidePolicy(String message, String reason, long requestId) {
        super("outside_policy", message);
        this.reason = reason;
        this.requestId = requestId;
    }

    /** Why the policy refuses it, without the record's id. */
    public String reason() {
        return reason;
    }

    public long requestId() {
        return requestId;
    }
}
