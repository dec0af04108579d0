// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.audit;

import java.time.Clock;
import java.util.Map;
import java.util.regex.Pattern;

/** {@link AuditLog} over an {@link AuditStore}, stamping entries with the server clock. */
final class AuditService implements AuditLog {
    private static final Pattern ACTION = Pattern.compile("[a-z0-9][a-z0-9.-]{0,63}");

    private final AuditStore store;
    private final Clock clock;

    AuditService(AuditStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    @Override
    public AuditEntry append(String actor, String action, Map<String, String> details) {
        if (actor == null || actor.isBlank() || actor.length() > 200) {
            throw new IllegalArgumentException("an audit actor is 1..200 characters");
        }
        if (action == null || !ACTION.matcher(action).matches()) {
            throw new IllegalArgumentException("an audit action is lower-case words joined by dots, e.g. token.create");
        }
        String detailsJson = AuditHashing.canonicalDetails(details);
        return AuditTrail.entry(store.append(clock.millis(), actor, action, detailsJson));
    }
}
