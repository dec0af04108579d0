// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.protocol;

/**
 * Asks for a new attachment upload ({@code POST /v1/attachments}, device-authenticated).
 *
 * @param size the ciphertext's exact length in bytes; the server refuses more than its
 *             {@code attachments.max-size} with 413
 */
public record AttachmentUploadRequest(Long size) {
    public AttachmentUploadRequest {
        Checks.required(size, "size");
        if (size < 1) {
            throw new IllegalArgumentException("size must be at least 1 byte, was " + size);
        }
    }
}
