// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.accounts;

import java.util.List;
import java.util.Optional;

/** What the server holds about an account itself, for the owner's own copy ({@code GET /v1/me/data}). */
public interface AccountRecords {
    /** The account, its handles and its devices' dates; empty when the account does not exist. */
    Optional<AccountRecord> record(String accountId);

    record AccountRecord(String accountId, long createdAtMs, List<String> handles, List<DeviceDates> devices) {}

    /** A device's registration time and the last UTC day (epoch day) it authenticated. */
    record DeviceDates(int deviceId, long createdAtMs, long lastSeenDay) {}
}
