// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.protocol;

/**
 * Where an attachment upload stands (GET or PATCH of {@code /v1/attachments/{id}/upload}; HEAD gives
 * the same as the headers {@code Upload-Offset} and {@code Upload-Length}).
 *
 * @param offset   the bytes stored so far: the next piece starts here
 * @param complete true once every byte arrived; the blob can then be downloaded
 */
public record AttachmentProgress(String id, long offset, long size, boolean complete) {}
