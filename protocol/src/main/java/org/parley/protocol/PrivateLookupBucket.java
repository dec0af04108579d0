// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.protocol;

import java.util.List;

/**
 * {@code GET /v1/private-lookup/buckets/{keyId}/{prefixBits}/{prefix}}: every registered handle whose
 * OPRF output (under {@code keyId}) starts its bucket hash with {@code prefix}, as tag and sealed pointer
 * (both base64). {@code prefixBits}/{@code prefix} are the ones served, which may be shorter than asked.
 */
public record PrivateLookupBucket(String keyId, int prefixBits, int prefix, List<Entry> entries) {
    /** One handle: its tag and the pointer (account id and devices) sealed under a key only its OPRF output gives. */
    public record Entry(String tag, String pointer) {}
}
