// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.cli;

import org.parley.client.ParleyClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code parley device remove ID}: unlinks a device; its queue and keys are deleted, the others are told. */
@Command(name = "remove", mixinStandardHelpOptions = true, exitCodeOnInvalidInput = 1,
        description = "Unlink device ID from your account (its waiting messages and keys are deleted) and tell your"
                + " other devices.")
public final class DeviceRemoveCommand extends UserCommand {
    @Parameters(index = "0", paramLabel = "ID", description = "The device id (see `parley device list`).")
    int deviceId;

    @Override
    int run(ParleyClient client) {
        int told = client.removeDevice(deviceId);
        if (json()) {
            printJson(fields("deviceId", deviceId, "removed", true, "devicesTold", told));
        } else {
            printLine("removed device " + deviceId + "; told " + told + (told == 1 ? " device" : " devices"));
        }
        return OK;
    }
}
