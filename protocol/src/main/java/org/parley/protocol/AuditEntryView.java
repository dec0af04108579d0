// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.protocol;

import java.util.Map;

/**
 * One operator audit-log entry as {@code GET /v1/admin/audit} shows it. {@code hash} is
 * SHA-256(prevHash || canonical entry), both lower-case hex; see docs/privacy.md, section Audit log.
 */
public record AuditEntryView(long seq, String time, long timeMs, String actor, String action,
                             Map<String, String> details, String prevHash, String hash) {}
