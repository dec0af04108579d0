// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.client.error;

/** The server could not be reached, the connection broke, or it answered something that is not the protocol. */
public final class ParleyTransportException extends ParleyException {
    private static final long serialVersionUID = 1L;

    public ParleyTransportException(String message) {
        super(message);
    }

    public ParleyTransportException(String message, Throwable cause) {
        super(message, cause);
    }
}
