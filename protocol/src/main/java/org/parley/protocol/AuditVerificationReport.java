// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.protocol;

/**
 * The result of checking the audit log's hash chain from its base (the anchor the retention purge
 * left, or seq 0) to its head. When {@code intact} is false, {@code brokenAtSeq} is the first entry
 * that fails and {@code problem} says why (edited, missing, out of order, head mismatch).
 */
public record AuditVerificationReport(boolean intact, long entriesChecked, long baseSeq, String baseHash,
                                      long headSeq, String headHash, Long brokenAtSeq, String problem) {}
