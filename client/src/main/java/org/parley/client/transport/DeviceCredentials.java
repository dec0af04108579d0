// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.client.transport;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** A device's HTTP Basic credentials: user {@code accountId.deviceId}, password chosen at registration. */
public record DeviceCredentials(String accountId, int deviceId, String password) {
    /** The {@code Authorization} header value, built by hand because the JDK client has no preemptive Basic auth. */
    public String authorizationHeader() {
        String user = accountId + "." + deviceId;
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public String toString() {
        return "DeviceCredentials[" + accountId + "." + deviceId + "]";
    }
}
