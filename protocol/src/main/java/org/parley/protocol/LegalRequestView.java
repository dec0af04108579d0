// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.protocol;

import java.util.List;

/**
 * A register entry as the operator API shows it. {@code status} is registered, rejected, approved
 * or produced; {@code reason} is the rejection reason (also for requests the matrix refused at
 * intake); {@code outcome} is produced-with-data or produced-without-data once produced;
 * {@code reviewed*} record the follow-up review of an emergency request.
 */
public record LegalRequestView(
        long id,
        String type,
        String authority,
        String reference,
        String received,
        List<String> handles,
        String from,
        String until,
        List<String> categories,
        String nonDisclosureUntil,
        List<String> documentSha256,
        String status,
        boolean reviewRequired,
        String registeredBy,
        String registeredAt,
        String decidedBy,
        String decidedAt,
        String reason,
        String outcome,
        String producedBy,
        String producedAt,
        String packageSha256,
        String reviewedBy,
        String reviewedAt,
        String reviewNote,
        List<LegalHoldView> holds) {}
