// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.audit;

import java.util.Map;

/**
 * The operator audit log: who did what to operator-only data, append-only and hash-chained.
 *
 * <p>{@code actor} is the operator token's name for API calls, {@code host:<os user>} for commands
 * run on the server host, or {@code system} for the server itself. {@code action} is a dotted verb
 * such as {@code lookup-log.read}, {@code token.create} or {@code legal.intake}. {@code details}
 * values that are null are left out; keys must not be blank.
 *
 * <p>Called inside a {@code Database.write}, the entry commits (or rolls back) with the caller's
 * work; otherwise it is committed on return. Either way it is durable before the caller proceeds,
 * so the audited action never happens without its entry.
 */
public interface AuditLog {
    /** The actor for work the server does on its own (purges, the first-start token). */
    String SYSTEM = "system";

    AuditEntry append(String actor, String action, Map<String, String> details);

    /** {@code host:<user>} for the OS user running this process: the actor of host commands. */
    static String hostActor() {
        String user = System.getProperty("user.name");
        return "host:" + (user == null || user.isBlank() ? "unknown" : user);
    }
}
