// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.audit;

import java.time.Instant;
import java.util.Map;

/** A stored audit entry. Hashes are lower-case hex SHA-256; details are sorted by key. */
public record AuditEntry(long seq, Instant time, String actor, String action, Map<String, String> details,
                         String prevHash, String hash) {}
