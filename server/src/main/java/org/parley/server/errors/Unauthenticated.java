// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.errors;

import java.util.List;

/** Missing, malformed or wrong credentials, of a device or of an operator. */
public final class Unauthenticated extends ServiceException {
    private static final long serialVersionUID = 1L;

    /** Who should have authenticated: the answer tells operators which scheme to use. */
    public enum Party { DEVICE, OPERATOR }

    private final Party party;
    private final transient List<String> accounts;

    public Unauthenticated(Party party, String message) {
        this(party, message, List.of());
    }

    /**
     * @param accounts for a sealed multi-recipient send: the recipients whose access key was refused, so the
     *     client can send to those identified (empty otherwise)
     */
    public Unauthenticated(Party party, String message, List<String> accounts) {
        super("unauthorized", message);
        this.party = party;
        this.accounts = List.copyOf(accounts);
    }

    public List<String> accounts() {
        return accounts;
    }

    public Party party() {
        return party;
    }
}
