// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.protocol;

/** One lookup-log entry as the operator API shows it. clientIp is null in no-ip mode. */
public record LookupLogEntryView(
        long id,
        String time,
        long timeMs,
        String requesterAccountId,
        int requesterDeviceId,
        String requesterHandle,
        String queriedHandle,
        Route route,
        String clientIp) {}
