// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.client.crypto;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One attachment as it travels inside the end-to-end encrypted message ({@link Plaintext#attachments}):
 * where the ciphertext is and everything needed to fetch, check and decrypt it. The server never sees
 * this record: it knows the blob by {@code id} and {@code token} only when a recipient fetches it.
 *
 * @param id             the blob's id on the server
 * @param token          the download capability (base64url); it fetches and renews the blob, nothing else
 * @param key            64 bytes: AES-256 key, then HMAC-SHA256 key ({@link AttachmentCipher})
 * @param digest         SHA-256 of the whole blob (IV, ciphertext and MAC)
 * @param size           the plaintext's length in bytes
 * @param ciphertextSize the blob's length in bytes
 * @param contentType    the sender's idea of the MIME type; may be null
 * @param fileName       the file's name as the sender had it (no directories); may be null
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AttachmentPointer(String id, String token, byte[] key, byte[] digest, long size, long ciphertextSize,
                                String contentType, String fileName) {
    /** Keys and tokens never go into logs. */
    @Override
    public String toString() {
        return "AttachmentPointer[id=" + id + ", size=" + size + ", contentType=" + contentType + "]";
    }
}
