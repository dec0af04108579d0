// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.protocol;

import java.util.List;

/**
 * The 401 of {@code PUT /v1/sealed-messages/multi}: {@code accounts} are the recipients whose access key
 * was refused (unknown account, no key set, or a wrong key: one answer for all three). Send to them
 * identified; nothing of the request was stored.
 */
public record SealedRefusedResponse(String error, String message, List<String> accounts) {}
