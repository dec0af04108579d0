// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.protocol;

/**
 * A preservation hold on one handle of a request. {@code state} is active, released or expired;
 * times are ISO-8601 instants.
 */
public record LegalHoldView(String handle, String placedAt, String expiresAt, boolean extended, String releasedAt,
                            String state) {}
