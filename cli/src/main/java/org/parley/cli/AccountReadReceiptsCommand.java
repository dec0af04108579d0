// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.cli;

import org.parley.client.ParleyClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code parley account read-receipts [on|off]}: whether this device tells senders that their
 * messages were shown. A local setting: the server never sees it (receipts are end-to-end messages).
 */
@Command(name = "read-receipts", mixinStandardHelpOptions = true, exitCodeOnInvalidInput = 1,
        description = "Turn read receipts on or off on this device, or show the setting. Delivery receipts are always sent.")
public final class AccountReadReceiptsCommand extends UserCommand {
    @Parameters(index = "0", arity = "0..1", paramLabel = "on|off", description = "on or off; omit to show the setting.")
    String value;

    @Override
    int run(ParleyClient client) {
        if (value != null) {
            if (!value.equalsIgnoreCase("on") && !value.equalsIgnoreCase("off")) {
                return fail(Failures.LOCAL_ERROR, "usage", "expected on or off, not '" + value + "'");
            }
            client.setReadReceipts(value.equalsIgnoreCase("on"));
        }
        boolean on = client.readReceipts();
        if (json()) {
            printJson(fields("readReceipts", on));
        } else {
            printLine("read receipts are " + (on ? "on" : "off") + " on this device");
        }
        return OK;
    }
}
