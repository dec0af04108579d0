// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.cli;

import java.time.Duration;
import org.parley.client.LinkCode;
import org.parley.client.LinkedDevice;
import org.parley.client.ParleyClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code parley device add CODE}: on a device of the account, links the new device showing CODE. It
 * hands the new device the account's identity key, end-to-end encrypted, so run it only for a device
 * you hold.
 */
@Command(name = "add", mixinStandardHelpOptions = true, exitCodeOnInvalidInput = 1,
        description = "Link the new device that shows CODE (from `parley device link`) to your account, and tell"
                + " your other devices. The new device gets your identity key: add only a device you hold.")
public final class DeviceAddCommand extends UserCommand {
    @Parameters(index = "0", paramLabel = "CODE", description = "The parley://link?... code the new device printed.")
    String code;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "60",
            description = "How long to wait for the new device to join (default ${DEFAULT-VALUE}).")
    int timeoutSeconds;

    @Override
    Integer precheck() {
        try {
            LinkCode.parse(code);
        } catch (IllegalArgumentException e) {
            return fail(Failures.USAGE, "invalid_link_code", "invalid link code: " + e.getMessage());
        }
        return timeoutSeconds < 1 ? fail(Failures.USAGE, "usage", "--timeout must be at least 1 second") : null;
    }

    @Override
    int run(ParleyClient client) {
        LinkedDevice linked = client.addDevice(code, Duration.ofSeconds(timeoutSeconds));
        if (json()) {
            printJson(fields("deviceId", linked.deviceId(), "registrationId", linked.registrationId(),
                    "devicesTold", linked.noticesSent()));
        } else {
            printLine("linked device " + linked.deviceId() + "; told " + linked.noticesSent()
                    + (linked.noticesSent() == 1 ? " device" : " devices"));
        }
        return OK;
    }
}
