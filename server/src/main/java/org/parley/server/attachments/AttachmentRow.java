// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.attachments;

/**
 * One blob's row: the hashes of its two capability tokens, its declared size, and its times. No
 * account, device or address: the server does not record who uploaded or who fetched a blob.
 *
 * @param session     the blob store's handle on the unfinished upload (S3's upload id); null locally
 * @param completedAt when the last piece arrived (epoch ms); null while the upload runs
 * @param expiresAt   when the blob (or the unfinished upload) is deleted (epoch ms)
 */
record AttachmentRow(String id, byte[] uploadTokenHash, byte[] downloadTokenHash, long size, String session,
                     long createdAt, Long completedAt, long expiresAt) {
    boolean complete() {
        return completedAt != null;
    }
}
