// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.protocol;

/** The body of a rejection or release: the reason, recorded in the register and the audit log. */
public record LegalReason(String reason) {}
