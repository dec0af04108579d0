// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.protocol;

/** What a new primary device tells the server about itself when its account is created. */
public record DeviceRegistration(
        int registrationId,
        String password,
        byte[] identityKey,
        SignedPreKey signedPreKey,
        SignedPreKey pqLastResortPreKey) {
    public DeviceRegistration {
        Checks.range(registrationId, "registrationId", 1, 0x3FFF);
        Checks.required(password, "password");
        if (password.length() < Limits.MIN_PASSWORD_CHARS || password.length() > Limits.MAX_PASSWORD_CHARS) {
            throw new IllegalArgumentException("password must be " + Limits.MIN_PASSWORD_CHARS + ".."
                    + Limits.MAX_PASSWORD_CHARS + " characters (base64 of at least 16 random bytes)");
        }
        Checks.bytes(identityKey, "identityKey", Limits.MAX_PUBLIC_KEY_BYTES);
        Checks.required(signedPreKey, "signedPreKey");
        Checks.required(pqLastResortPreKey, "pqLastResortPreKey");
    }

    /** Never print the password, even in a debug dump of the request. */
    @Override
    public String toString() {
        return "DeviceRegistration[registrationId=" + registrationId + "]";
    }
}
