// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.protocol;

import java.util.List;

/** {@code GET /v1/admin/legal/requests}: newest first. */
public record LegalRequestList(List<LegalRequestView> requests) {}
