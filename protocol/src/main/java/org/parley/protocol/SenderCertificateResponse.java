// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.protocol;

/**
 * {@code GET /v1/certificate/delivery}: a libsignal {@code SenderCertificate} (serialized) naming the
 * calling device (account id, device id, identity key) and its expiry, signed by the server certificate,
 * which the sealed-sender trust root signed.
 *
 * @param expiresAt epoch millis after which recipients refuse envelopes sealed with it
 */
public record SenderCertificateResponse(byte[] certificate, long expiresAt) {
    public SenderCertificateResponse {
        Checks.bytes(certificate, "certificate", 4096);
    }
}
