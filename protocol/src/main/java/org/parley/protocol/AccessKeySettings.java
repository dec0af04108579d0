// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.protocol;

/**
 * {@code PUT /v1/me/access-key}: the unidentified access key that a sealed send to this account must
 * present (16 bytes), and whether sealed sends without it are accepted ({@code unrestricted}, off by
 * default: then only senders who were given the key, i.e. contacts, can send sealed).
 */
public record AccessKeySettings(byte[] accessKey, boolean unrestricted) {
    public static final int KEY_BYTES = 16;

    public AccessKeySettings {
        Checks.required(accessKey, "accessKey");
        if (accessKey.length != KEY_BYTES) {
            throw new IllegalArgumentException("accessKey must be " + KEY_BYTES + " bytes, was " + accessKey.length);
        }
    }
}
