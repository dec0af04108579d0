// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.admin;

import java.util.List;
import java.util.function.Supplier;

/** Operator tokens by hash. Tokens themselves are never stored. */
interface OperatorTokenStore {
    /** A stored token: its name, SHA-256 and role. */
    record StoredToken(String name, byte[] hash, OperatorRole role) {}

    /** What an operator may see about a token: never its hash. {@code revokedAtMs} is null while valid. */
    record TokenInfo(String name, OperatorRole role, long createdAtMs, Long revokedAtMs) {
        public boolean revoked() {
            return revokedAtMs != null;
        }
    }

    /**
     * Runs {@code work} in one write transaction (the store's calls inside it join it) that waits
     * for any other {@code whileFirstTokenLocked} call, on this node or another, to commit first. The
     * first-start bootstrap checks {@link #hasAny} and inserts inside it, so nodes starting at once
     * against one empty PostgreSQL database create exactly one token between them.
     */
    <T> T whileFirstTokenLocked(Supplier<T> work);

    /** True when at least one token exists, revoked or not. */
    boolean hasAny();

    /** Every token that is not revoked, for a constant-time comparison against all of them. */
    List<StoredToken> all();

    /** A revoked token: enough to tell its bearer it was revoked, and when. */
    record RevokedToken(String name, byte[] hash, long revokedAtMs) {}

    /** Every revoked token, for the same constant-time comparison when no valid token matched. */
    List<RevokedToken> revoked();

    /** Every token ever issued, revoked ones included, oldest first. */
    List<TokenInfo> list();

    /** Adds a token; its name and hash must be new. */
    void insert(StoredToken token, long createdAtMs);

    /** Marks the named token revoked; false when no valid token has that name. */
    boolean revoke(String name, long revokedAtMs);
}
