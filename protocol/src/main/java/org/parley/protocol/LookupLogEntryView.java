// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.protocol;

/**
 * One lookup-log entry as the operator API shows it. clientIp is null in no-ip mode.
 *
 * <p>{@code kind} is {@code plain} (a plain lookup: {@code queriedHandle} and {@code route} set, the
 * bucket fields null) or {@code private} (a private lookup's bucket fetch: {@code keyId},
 * {@code prefixBits} and {@code bucket} set, {@code queriedHandle} and {@code route} null, since the
 * server never learns them). Ids are per kind: (kind, id) names an entry.
 */
public record LookupLogEntryView(
        long id,
        String time,
        long timeMs,
        String requesterAccountId,
        int requesterDeviceId,
        String requesterHandle,
        String queriedHandle,
        Route route,
        String clientIp,
        String kind,
        String keyId,
        Integer prefixBits,
        Integer bucket) {}
