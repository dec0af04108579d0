// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.cli;

import org.parley.client.ParleyClient;
import org.parley.protocol.SmsSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code parley account sms [on|off]}: this account's opt-in to SMS fallback. Without an argument it
 * shows the setting; {@code on} is refused by a server that offers no SMS.
 */
@Command(name = "sms", mixinStandardHelpOptions = true, exitCodeOnInvalidInput = 1,
        description = "Turn SMS fallback on or off for your account (SMS is not end-to-end encrypted), or show it.")
public final class AccountSmsCommand extends UserCommand {
    @Parameters(index = "0", arity = "0..1", paramLabel = "on|off", description = "on or off; omit to show the setting.")
    String value;

    @Override
    int run(ParleyClient client) {
        SmsSettings settings;
        if (value == null) {
            settings = client.sms().settings();
        } else if (value.equalsIgnoreCase("on") || value.equalsIgnoreCase("off")) {
            settings = client.sms().enable(value.equalsIgnoreCase("on"));
        } else {
            return fail(Failures.LOCAL_ERROR, "usage", "expected on or off, not '" + value + "'");
        }
        if (json()) {
            printJson(settings);
        } else {
            printLine("SMS fallback is " + (settings.enabled() ? "on" : "off") + " for this account"
                    + (Boolean.FALSE.equals(settings.serverEnabled()) ? " (this server sends no SMS)" : "")
                    + (settings.enabled() ? "; SMS is not end-to-end encrypted" : ""));
        }
        return OK;
    }
}
