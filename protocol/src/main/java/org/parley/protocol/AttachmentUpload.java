// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.protocol;

/**
 * A created upload ({@code POST /v1/attachments}). Both tokens are capabilities, shown once: the
 * server keeps only their SHA-256.
 *
 * @param id              the blob's id (unguessable, but not a secret: the tokens are)
 * @param uploadToken     authorises HEAD and PATCH of the upload until {@code uploadExpiresAt}
 * @param downloadToken   authorises GET and renew of the finished blob; it travels inside the
 *                        end-to-end message to the recipients, never to the server with an account
 * @param size            the declared ciphertext length
 * @param chunkSize       every PATCH but the last carries exactly this many bytes
 * @param uploadExpiresAt when an unfinished upload is deleted (epoch ms)
 */
public record AttachmentUpload(String id, String uploadToken, String downloadToken, long size, int chunkSize,
                               long uploadExpiresAt) {
    /** Tokens never go into logs. */
    @Override
    public String toString() {
        return "AttachmentUpload[id=" + id + ", size=" + size + ", chunkSize=" + chunkSize + "]";
    }
}
