// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.client;

import java.net.URI;

/**
 * What a home is registered as, without its secrets. {@code accountId} and {@code deviceId} are null
 * while only a verification is pending.
 */
public record AccountInfo(URI serverUrl, String handle, String accountId, Integer deviceId, boolean pendingVerification) {
    public boolean registered() {
        return accountId != null;
    }
}
