// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.errors;

/** Missing, malformed or wrong credentials, of a device or of an operator. */
public final class Unauthenticated extends ServiceException {
    private static final long serialVersionUID = 1L;

    /** Who should have authenticated: the answer tells operators which scheme to use. */
    public enum Party { DEVICE, OPERATOR }

    private final Party party;

    public Unauthenticated(Party party, String message) {
        super("unauthorized", message);
        this.party = party;
    }

    public Party party() {
        return party;
    }
}
