// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.protocol;

/**
 * {@code POST /v1/devices/provisioning-codes}: a one-use code that lets one new device join the caller's
 * account ({@code POST /v1/devices}) until {@code expiresAt} (epoch millis). Only its hash is stored.
 */
public record ProvisioningCode(String code, long expiresAt) {
    /** The code is a credential: never print it. */
    @Override
    public String toString() {
        return "ProvisioningCode[expiresAt=" + expiresAt + "]";
    }
}
