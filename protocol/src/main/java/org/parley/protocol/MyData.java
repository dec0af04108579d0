// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.protocol;

import java.util.List;

/**
 * {@code GET /v1/me/data}: everything the server holds about the caller's account. Dates are days
 * ({@code 2026-11-27}, UTC) where the server keeps no finer time; lookup times are as stored.
 *
 * @param lookups         the lookups this account made that are still within the lookup-log retention,
 *                        oldest first, as stored under the lookup-log mode in force when they were made
 * @param lookupsComplete false when there were more than the response carries (the newest are cut off)
 * @param disclosures     disclosures of this account's data whose non-disclosure period has ended
 */
public record MyData(String generatedAt, String accountId, String accountCreated, List<String> handles,
                     List<Device> devices, long queuedEnvelopes, LookupLog lookupLog, List<Lookup> lookups,
                     boolean lookupsComplete, List<Disclosure> disclosures) {

    /** One device: when it was registered and last seen (days), its one-time prekeys left, its queue. */
    public record Device(int deviceId, String created, String lastSeen, int preKeys, int pqPreKeys,
                         long queuedEnvelopes) {}

    /** The lookup-log settings the {@code lookups} were read under. */
    public record LookupLog(String mode, String retention) {}

    /** A lookup this account made. {@code clientIp} is null when none was stored. */
    public record Lookup(String time, int deviceId, String queriedHandle, Route route, String clientIp) {}

    /** A disclosure: kind of request, day of disclosure, the policy categories disclosed. */
    public record Disclosure(String type, String date, List<String> categories) {}
}
