// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.protocol;

import java.util.List;

/**
 * {@code POST /v1/admin/legal/requests}: a legal request as received. Dates are ISO dates
 * ({@code 2026-11-27}, UTC days); {@code from} and {@code until} are both inclusive. Handles are
 * normalised by the server; {@code documentSha256} holds the lower-case hex SHA-256 of each
 * document that came with the request. {@code nonDisclosureUntil} may be null (no gag order).
 */
public record LegalIntakeRequest(
        String type,
        String authority,
        String reference,
        String received,
        List<String> handles,
        String from,
        String until,
        List<String> categories,
        String nonDisclosureUntil,
        List<String> documentSha256) {}
