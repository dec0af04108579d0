// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.errors;

import java.util.List;
import org.parley.protocol.DeviceMismatch;

/**
 * A send whose ciphertexts do not cover exactly the recipients' devices: per account, the devices
 * missing a ciphertext and the extra ones. The client looks the account up again.
 */
public final class MismatchedDevices extends ServiceException {
    private static final long serialVersionUID = 1L;

    private final transient List<DeviceMismatch> mismatches;

    public MismatchedDevices(String message, List<DeviceMismatch> mismatches) {
        super("mismatched_devices", message);
        this.mismatches = List.copyOf(mismatches);
    }

    public List<DeviceMismatch> mismatches() {
        return mismatches;
    }
}
