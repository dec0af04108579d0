// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.cli;

import java.util.ArrayList;
import java.util.List;
import org.parley.client.DeviceStatus;
import org.parley.client.ParleyClient;
import picocli.CommandLine.Command;

/**
 * {@code parley device list}: the account's devices as the server lists them. A device no device of the
 * account ever announced end-to-end is flagged with a warning: the server may have added it.
 */
@Command(name = "list", mixinStandardHelpOptions = true, exitCodeOnInvalidInput = 1,
        description = "List your account's devices; warns about any device none of your devices announced.")
public final class DeviceListCommand extends UserCommand {
    @Override
    int run(ParleyClient client) {
        List<DeviceStatus> devices = client.devices();
        for (DeviceStatus d : devices) {
            if (!d.announced()) {
                warn("device " + d.deviceId() + " is on the server, but none of your devices announced it: if you"
                        + " did not link it, remove it (parley device remove " + d.deviceId() + ")");
            }
        }
        if (json()) {
            printJson(devices.stream().map(d -> fields("deviceId", d.deviceId(), "registrationId", d.registrationId(),
                    "created", d.created().toString(), "lastSeen", d.lastSeen().toString(), "thisDevice", d.thisDevice(),
                    "announced", d.announced())).toList());
            return OK;
        }
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"DEVICE", "CREATED", "LAST SEEN", "NOTE"});
        for (DeviceStatus d : devices) {
            String note = d.thisDevice() ? "this device" : d.announced() ? "" : "NOT ANNOUNCED";
            rows.add(new String[] {Integer.toString(d.deviceId()), d.created().toString(), d.lastSeen().toString(), note});
        }
        Tables.print(out(), rows);
        out().flush();
        return OK;
    }
}
