// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.protocol;

public record RegistrationRequest(String sessionId, String code, DeviceRegistration device) {
    public RegistrationRequest {
        Checks.required(sessionId, "sessionId");
        Checks.required(code, "code");
        Checks.required(device, "device");
    }
}
