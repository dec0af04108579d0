// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.protocol;

/**
 * {@code POST /v1/devices}: a new device joins an account with a provisioning code the account's
 * device handed it (end-to-end encrypted, over the provisioning socket). The device's identity key
 * must be the account's: every device of an account shares one identity.
 */
public record LinkDeviceRequest(String provisioningCode, DeviceRegistration device) {
    /** 32 random bytes as unpadded base64url. */
    public static final int CODE_CHARS = 43;

    public LinkDeviceRequest {
        Checks.required(provisioningCode, "provisioningCode");
        if (provisioningCode.length() != CODE_CHARS) {
            throw new IllegalArgumentException("provisioningCode must be " + CODE_CHARS + " characters");
        }
        Checks.required(device, "device");
    }

    @Override
    public String toString() {
        return "LinkDeviceRequest[" + device + "]";
    }
}
