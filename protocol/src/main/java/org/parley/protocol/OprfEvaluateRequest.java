// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.protocol;

import java.util.List;

/**
 * {@code POST /v1/private-lookup/evaluate}: blinded elements (base64 of 33-byte compressed P-256 points,
 * RFC 9497 P256-SHA256 OPRF mode) to evaluate under key {@code keyId} (null: the current key). Each
 * element counts as one distinct lookup against the account's daily quota.
 */
public record OprfEvaluateRequest(String keyId, List<String> blindedElements) {}
