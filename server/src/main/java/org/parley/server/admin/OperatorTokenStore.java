// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.admin;

import java.util.List;

/** Operator tokens by hash. Tokens themselves are never stored. */
interface OperatorTokenStore {
    /** A stored token: its name, SHA-256 and role. */
    record StoredToken(String name, byte[] hash, OperatorRole role) {}

    /** True when at least one token exists. */
    boolean hasAny();

    /** Every token, for a constant-time comparison against all of them. */
    List<StoredToken> all();

    /** Adds a token; its name and hash must be new. */
    void insert(StoredToken token, long createdAtMs);
}
