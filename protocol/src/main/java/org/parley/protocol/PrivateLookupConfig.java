// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.protocol;

import java.util.List;

/**
 * {@code GET /v1/private-lookup/config}: how this server answers lookups.
 *
 * @param mode       {@code plain}, {@code private} or {@code both} ({@code lookup.mode}); in {@code private}
 *                   the plain lookup endpoints are refused
 * @param keyIds     the OPRF keys evaluations may name, newest ({@code currentKeyId}) first; an older key is
 *                   still served during its rotation overlap
 * @param prefixBits bits of the bucket prefix under the current key
 * @param minBucket  the fewest entries a bucket holds once there are that many handles ({@code lookup.private.min-bucket})
 */
public record PrivateLookupConfig(String mode, String suite, String currentKeyId, List<String> keyIds, int prefixBits,
                                  int minBucket) {}
