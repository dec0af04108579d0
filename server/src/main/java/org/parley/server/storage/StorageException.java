// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.storage;

/** A storage failure. Clients see a 500 with no detail; the message goes to the server log only. */
public class StorageException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public StorageException(String message, Throwable cause) {
        super(message, cause);
    }
}
