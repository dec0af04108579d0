// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.legal;

import java.time.LocalDate;
import java.util.List;

/**
 * A register entry as stored. Times are epoch millis; nullable fields are null until the step
 * that sets them happened.
 */
record LegalRequest(
        long id,
        RequestType type,
        String authority,
        String reference,
        LocalDate received,
        Scope scope,
        LocalDate nonDisclosureUntil,
        List<String> documentSha256,
        RequestStatus status,
        boolean reviewRequired,
        String registeredBy,
        long registeredAt,
        String decidedBy,
        Long decidedAt,
        String reason,
        Outcome outcome,
        String producedBy,
        Long producedAt,
        String packageSha256,
        String reviewedBy,
        Long reviewedAt,
        String reviewNote) {

    public LegalRequest {
        documentSha256 = List.copyOf(documentSha256);
    }
}
