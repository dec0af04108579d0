// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.cli;

import java.util.List;
import org.parley.client.ParleyClient;
import org.parley.client.SafetyNumberReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code parley safety-number HANDLE}: one line per device of HANDLE, twelve blocks of five digits.
 * Every Parley device has its own identity key, so each of the contact's devices has its own number.
 */
@Command(name = "safety-number", mixinStandardHelpOptions = true, exitCodeOnInvalidInput = 1,
        description = "Show the safety number with each device of HANDLE; compare it in person or on a call.")
public final class SafetyNumberCommand extends UserCommand {
    @Parameters(index = "0", paramLabel = "HANDLE", description = "The contact's phone number or email address.")
    String handle;

    @Override
    Integer precheck() {
        return checkHandles(List.of(handle));
    }

    @Override
    int run(ParleyClient client) {
        SafetyNumberReport report = client.safetyNumbers(handle);
        if (json()) {
            printJson(fields("handle", report.handle(), "route", report.onParley() ? "parley" : "sms",
                    "devices", report.devices().stream().map(d -> fields("deviceId", d.deviceId(),
                            "safetyNumber", d.safetyNumber().digits())).toList()));
            return report.onParley() ? OK : SMS_ROUTE;
        }
        if (!report.onParley()) {
            return fail(SMS_ROUTE, "not_on_parley", report.handle() + " is not on Parley; there is no safety number");
        }
        for (SafetyNumberReport.DeviceSafetyNumber device : report.devices()) {
            printLine(report.handle() + " device " + device.deviceId() + ": " + device.safetyNumber().grouped());
        }
        return OK;
    }
}
