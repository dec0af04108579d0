// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.client.error;

/**
 * Local state is missing or unusable: the device is not registered yet, no registration is pending,
 * or the state database cannot be read or written.
 */
public final class ParleyStateException extends ParleyException {
    private static final long serialVersionUID = 1L;

    public ParleyStateException(String message) {
        super(message);
    }

    public ParleyStateException(String message, Throwable cause) {
        super(message, cause);
    }
}
