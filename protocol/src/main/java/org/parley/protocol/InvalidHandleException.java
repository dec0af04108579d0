// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.protocol;

/** A handle that is neither a possible E.164 number nor a valid email address. Its message never echoes the input. */
public final class InvalidHandleException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public InvalidHandleException(String message) {
        super(message);
    }
}
