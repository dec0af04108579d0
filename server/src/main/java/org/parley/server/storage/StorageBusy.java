// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.storage;

/**
 * The database is healthy but saturated: no pooled connection came free within the pool's wait.
 * Clients are told to retry after a moment (429 with {@code Retry-After}) instead of being told the
 * storage is unavailable; a delivery loop waits and reads again instead of closing its connection.
 */
public final class StorageBusy extends StorageException {
    private static final long serialVersionUID = 1L;

    public StorageBusy(String message, Throwable cause) {
        super(message, cause);
    }
}
