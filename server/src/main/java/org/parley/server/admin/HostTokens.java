// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.admin;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.parley.server.audit.AuditLog;
import org.parley.server.storage.Database;

/**
 * Operator-token management for commands run on the server host ({@code parley admin token ...}):
 * they open the server's database directly, so they work with no token at all, and whoever can
 * open the database is trusted as the host's operator. Every change is audited with
 * {@code actor} (normally {@code host:<os user>}) in the same transaction as the change.
 */
public final class HostTokens {
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");
    private static final int TOKEN_BYTES = 32;

    /** A token as listed: name, role, when it was created and, if so, revoked. Never the token or its hash. */
    public record Listed(String name, String role, Instant createdAt, Instant revokedAt) {}

    private final Database database;
    private final OperatorTokenStore store;
    private final AuditLog audit;
    private final Clock clock;
    private final SecureRandom random;

    public HostTokens(Database database, AuditLog audit, Clock clock, SecureRandom random) {
        this.database = database;
        this.store = new JdbcOperatorTokenStore(database);
        this.audit = audit;
        this.clock = clock;
        this.random = random;
    }

    /**
     * Issues a token named {@code name} with role {@code role} (admin, legal-reviewer, auditor) and returns
     * it. Only its SHA-256 is stored: the caller must hand the token over now, it cannot be shown again.
     *
     * @throws IllegalArgumentException for a bad name or role, or a name already used (revoked names stay taken)
     */
    public String create(String actor, String name, String role) {
        String n = checkName(name);
        OperatorRole r;
        try {
            r = OperatorRole.fromWire(role == null ? "" : role.strip().toLowerCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("role must be one of " + OperatorRole.wireNames() + ", was '" + role + "'");
        }
        for (OperatorTokenStore.TokenInfo existing : store.list()) {
            if (existing.name().equals(n)) {
                throw new IllegalArgumentException("a token named '" + n + "' "
                        + (existing.revoked() ? "existed and was revoked; names are not reused, so the audit log"
                                + " stays unambiguous: pick another name" : "already exists"));
            }
        }
        byte[] raw = new byte[TOKEN_BYTES];
        random.nextBytes(raw);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
        long now = clock.millis();
        database.write(c -> {
            store.insert(new OperatorTokenStore.StoredToken(n, TokenHashing.sha256(token), r), now);
            audit.append(actor, "token.create", Map.of("name", n, "role", r.wire()));
            return null;
        });
        return token;
    }

    /** Every token ever issued, oldest first, revoked ones included. */
    public List<Listed> list() {
        List<Listed> out = new ArrayList<>();
        for (OperatorTokenStore.TokenInfo t : store.list()) {
            out.add(new Listed(t.name(), t.role().wire(), Instant.ofEpochMilli(t.createdAtMs()),
                    t.revokedAtMs() == null ? null : Instant.ofEpochMilli(t.revokedAtMs())));
        }
        return out;
    }

    /**
     * Revokes the named token: the server refuses it from the next request on. The row stays (name,
     * role, dates) for the audit trail.
     *
     * @throws IllegalArgumentException when no valid token has that name
     */
    public void revoke(String actor, String name) {
        String n = checkName(name);
        long now = clock.millis();
        boolean revoked = database.write(c -> {
            if (!store.revoke(n, now)) {
                return false;
            }
            audit.append(actor, "token.revoke", Map.of("name", n));
            return true;
        });
        if (!revoked) {
            throw new IllegalArgumentException("no valid token is named '" + n + "' (see parley admin token list)");
        }
    }

    private static String checkName(String name) {
        String n = name == null ? "" : name.strip();
        if (!NAME.matcher(n).matches() || n.equals(AuditLog.SYSTEM)) {
            throw new IllegalArgumentException("a token name is 1-64 of a-z, 0-9, '.', '_', '-' starting with a letter"
                    + " or digit, and not 'system'; was '" + name + "'");
        }
        return n;
    }
}
