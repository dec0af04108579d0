// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.errors;

/** What the request would store is larger than the server accepts (an attachment over attachments.max-size). */
public final class PayloadTooLarge extends ServiceException {
    private static final long serialVersionUID = 1L;

    public PayloadTooLarge(String message) {
        super("payload_too_large", message);
    }
}
