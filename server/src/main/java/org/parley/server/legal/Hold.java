// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.legal;

/**
 * A preservation hold on one handle of a request (a row of {@code preservation_holds}). It is
 * active while not released and {@code expiresAt} is in the future.
 */
record Hold(long id, long requestId, String handle, String accountId, long sinceMs, long untilMs, boolean coversOf,
            boolean coversBy, boolean coversSubscriber, long placedAt, long expiresAt, boolean extended,
            Long releasedAt) {

    boolean activeAt(long nowMs) {
        return releasedAt == null && expiresAt > nowMs;
    }

    String state(long nowMs) {
        return releasedAt != null ? "released" : expiresAt > nowMs ? "active" : "expired";
    }
}
