// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.client.error;

/**
 * Base of every failure the client library reports. Unchecked so that callers handle the kinds they
 * care about (a CLI maps each subclass to an exit code) without every method declaring them.
 */
public class ParleyException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ParleyException(String message) {
        super(message);
    }

    public ParleyException(String message, Throwable cause) {
        super(message, cause);
    }
}
