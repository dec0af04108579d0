// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.client;

import org.parley.client.error.ParleyException;

/**
 * A send that would reach no device at all, such as a message to your own handle while this is your
 * only device. Nothing was sent; it is refused instead of being reported as delivered to 0 devices.
 */
public final class NothingToSendException extends ParleyException {
    private static final long serialVersionUID = 1L;

    public NothingToSendException(String message) {
        super(message);
    }
}
