// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.protocol;

import java.util.List;

/**
 * A page of the audit log, oldest first. {@code nextAfter} is the {@code after} value for the next
 * page, or null when this page reached the head of the chain.
 */
public record AuditPage(List<AuditEntryView> entries, Long nextAfter) {}
