// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.protocol;

/**
 * The answer to {@code POST /v1/attachments/{id}/renew}: the blob now lives until {@code expiresAt}
 * (epoch ms), {@code attachments.retention} after the renewal.
 */
public record AttachmentRenewal(String id, long expiresAt) {}
