// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.audit;

import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import org.parley.server.storage.Purger;

/**
 * Deletes audit entries older than {@code audit.retention}. The hash of the last deleted entry
 * becomes the chain's base, and the purge appends its own {@code audit.purge} entry naming that
 * base, so verification still succeeds and still notices a base moved by anyone else.
 */
final class AuditPurger implements Purger {
    private final AuditStore store;
    private final Duration retention;

    AuditPurger(AuditStore store, Duration retention) {
        this.store = store;
        this.retention = retention;
    }

    @Override
    public String name() {
        return "audit";
    }

    @Override
    public long purge(Instant now) {
        return store.purgeBefore(now.minus(retention).toEpochMilli(), now.toEpochMilli(), retention.toString());
    }

    @Override
    public Set<String> tables() {
        return Set.of("audit_log");
    }
}
