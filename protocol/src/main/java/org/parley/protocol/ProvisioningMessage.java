// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.protocol;

/**
 * {@code PUT /v1/provisioning/{id}}: opaque bytes for the new device waiting on that provisioning
 * socket (an HPKE ciphertext the server cannot read), at most {@link #MAX_BODY_BYTES}.
 */
public record ProvisioningMessage(byte[] body) {
    public static final int MAX_BODY_BYTES = 16 * 1024;

    public ProvisioningMessage {
        Checks.bytes(body, "body", MAX_BODY_BYTES);
    }
}
