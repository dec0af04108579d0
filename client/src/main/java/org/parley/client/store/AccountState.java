// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.client.store;

import java.net.URI;

/**
 * What this home knows about its registration. Before the code is verified only the server, the handle
 * and the pending verification session are set; afterwards the device credentials are.
 */
public record AccountState(
        URI serverUrl, String handle, String accountId, Integer deviceId, String password, String pendingSessionId) {

    public boolean registered() {
        return accountId != null && deviceId != null && password != null;
    }

    /** The device password must never reach a log or a stack trace. */
    @Override
    public String toString() {
        return "AccountState[serverUrl=" + serverUrl + ", handle=" + handle + ", accountId=" + accountId
                + ", deviceId=" + deviceId + ", pending=" + (pendingSessionId != null) + "]";
    }
}
