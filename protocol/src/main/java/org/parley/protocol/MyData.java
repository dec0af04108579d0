// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.protocol;

import java.util.List;

/**
 * {@code GET /v1/me/data}: everything the server holds about the caller's account. Dates are days
 * ({@code 2026-11-27}, UTC) where the server keeps no finer time; lookup times are as stored.
 *
 * @param lookups         the lookups this account made that are still within the lookup-log retention,
 *                        oldest first, as stored under the lookup-log mode in force when they were made
 * @param lookupsComplete false when there were more than the response carries (the newest are cut off;
 *                        {@code lookups} and {@code privateLookups} together carry at most the limit)
 * @param disclosures     disclosures of this account's data whose non-disclosure period has ended
 * @param privateLookups  the private lookups this account made within the lookup-log retention, oldest
 *                        first, as the server stored them: the bucket fetched, never the handle
 * @param sealedSender    the account's sealed-sender setting: whether an unidentified access key is set
 *                        and whether sealed sends are accepted without it (the key itself is never shown)
 */
public record MyData(String generatedAt, String accountId, String accountCreated, List<String> handles,
                     List<Device> devices, long queuedEnvelopes, LookupLog lookupLog, List<Lookup> lookups,
                     boolean lookupsComplete, List<Disclosure> disclosures, List<PrivateLookup> privateLookups,
                     AccessKeyStatus sealedSender) {

    /** One device: when it was registered and last seen (days), its one-time prekeys left, its queue. */
    public record Device(int deviceId, String created, String lastSeen, int preKeys, int pqPreKeys,
                         long queuedEnvelopes) {}

    /** The lookup-log settings the {@code lookups} were read under. */
    public record LookupLog(String mode, String retention) {}

    /** A lookup this account made. {@code clientIp} is null when none was stored. */
    public record Lookup(String time, int deviceId, String queriedHandle, Route route, String clientIp) {}

    /**
     * A private lookup this account made: the bucket it fetched (OPRF key id, prefix length, prefix), which
     * holds many handles; the server never learned which one was looked up. {@code clientIp} as for {@link Lookup}.
     */
    public record PrivateLookup(String time, int deviceId, String keyId, int prefixBits, int bucket, String clientIp) {}

    /** A disclosure: kind of request, day of disclosure, the policy categories disclosed. */
    public record Disclosure(String type, String date, List<String> categories) {}
}
