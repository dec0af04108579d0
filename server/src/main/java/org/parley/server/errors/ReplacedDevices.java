// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.errors;

import java.util.List;
import org.parley.protocol.StaleDevices;

/**
 * A send to devices that were re-registered since the client fetched their keys: per account, the
 * stale device ids. The client fetches their keys again and starts new sessions.
 */
public final class ReplacedDevices extends ServiceException {
    private static final long serialVersionUID = 1L;

    private final transient List<StaleDevices> stale;

    public ReplacedDevices(String message, List<StaleDevices> stale) {
        super("stale_devices", message);
        this.stale = List.copyOf(stale);
    }

    public List<StaleDevices> stale() {
        return stale;
    }
}
