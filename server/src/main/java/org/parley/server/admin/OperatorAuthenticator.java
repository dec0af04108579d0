// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.admin;

import java.security.MessageDigest;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.parley.server.errors.Forbidden;
import org.parley.server.errors.Unauthenticated;

/**
 * Checks {@code Authorization: Bearer <token>} against the stored operator-token hashes. Every
 * stored hash is compared, each in constant time, so timing reveals neither which token matched
 * nor how much of a guess was right.
 */
public final class OperatorAuthenticator {
    private static final String SCHEME = "Bearer ";

    private final OperatorTokenStore store;

    OperatorAuthenticator(OperatorTokenStore store) {
        this.store = store;
    }

    /**
     * Returns the operator the request's bearer token belongs to.
     *
     * @throws Unauthenticated when the header is missing, not a bearer token, or wrong
     */
    public Operator authenticate(Optional<String> header) {
        if (header.isEmpty()) {
            throw unauthorized("this endpoint needs 'Authorization: Bearer <token>' with the operator token"
                    + " the server wrote to admin.token in its data directory");
        }
        String value = header.get().strip();
        if (!value.regionMatches(true, 0, SCHEME, 0, SCHEME.length()) || value.substring(SCHEME.length()).isBlank()) {
            throw unauthorized("the Authorization header must be 'Bearer <token>'");
        }
        byte[] presented = TokenHashing.sha256(value.substring(SCHEME.length()).strip());
        Operator match = null;
        for (OperatorTokenStore.StoredToken stored : store.all()) {
            // No early exit: the loop does the same work whichever token matches.
            boolean equal = MessageDigest.isEqual(stored.hash(), presented);
            if (equal && match == null) {
                match = new Operator(stored.name(), stored.role());
            }
        }
        if (match == null) {
            throw unauthorized(whyNot(presented));
        }
        return match;
    }

    /**
     * Why a token matched no valid one: it was revoked (said so, with the date, to whoever holds it), or
     * it was never issued here. Compared like the valid tokens, every hash in constant time and no early
     * exit, so the time taken does not depend on which revoked token matched.
     */
    private String whyNot(byte[] presented) {
        OperatorTokenStore.RevokedToken revoked = null;
        for (OperatorTokenStore.RevokedToken stored : store.revoked()) {
            boolean equal = MessageDigest.isEqual(stored.hash(), presented);
            if (equal && revoked == null) {
                revoked = stored;
            }
        }
        if (revoked != null) {
            return "the operator token '" + revoked.name() + "' was revoked on "
                    + Instant.ofEpochMilli(revoked.revokedAtMs()).truncatedTo(ChronoUnit.SECONDS)
                    + "; ask an operator with access to the server host for a new one (parley admin token create)";
        }
        return "the operator token matches no token this server issued; check the token file (the first"
                + " admin token is admin.token in the server's data directory)";
    }

    /**
     * Authenticates the request and checks that the token's role is one of {@code allowed}.
     *
     * @throws Unauthenticated as {@link #authenticate}; Forbidden when the
     *                      token is valid but its role may not use the endpoint
     */
    public Operator require(Optional<String> authorization, OperatorRole... allowed) {
        Operator operator = authenticate(authorization);
        for (OperatorRole role : allowed) {
            if (operator.role() == role) {
                return operator;
            }
        }
        String needed = Arrays.stream(allowed).map(OperatorRole::wire).collect(Collectors.joining(" or "));
        throw new Forbidden("forbidden", "this endpoint needs role " + needed
                + "; the token '" + operator.name() + "' has role " + operator.role().wire());
    }

    private static Unauthenticated unauthorized(String message) {
        return new Unauthenticated(Unauthenticated.Party.OPERATOR, message);
    }
}
