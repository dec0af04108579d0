// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.cli;

import java.util.List;
import org.parley.client.IdentityChangeNotice;
import org.parley.client.NothingToSendException;
import org.parley.client.ParleyClient;
import org.parley.client.SendResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * {@code parley send HANDLE TEXT}: encrypts TEXT for every device of HANDLE. A handle that is not on
 * Parley exits with 3, so scripts can fall back to SMS.
 */
@Command(name = "send", mixinStandardHelpOptions = true, exitCodeOnInvalidInput = 1,
        description = "Send an end-to-end encrypted message. Exits 3 when HANDLE is not on Parley (send it by SMS).")
public final class SendCommand extends UserCommand {
    @Parameters(index = "0", paramLabel = "HANDLE", description = "The recipient's phone number or email address.")
    String handle;

    @Parameters(index = "1..*", arity = "1..*", paramLabel = "TEXT",
            description = "The message; several words are joined with single spaces.")
    List<String> words;

    @Mixin
    ServerOverride servers;

    @Override
    Integer precheck() {
        return checkHandles(List.of(handle));
    }

    @Override
    int run(ParleyClient client) {
        servers.applyTo(client);
        String text = String.join(" ", words);
        SendResult result;
        try {
            result = client.send(handle, text);
        } catch (NothingToSendException e) {
            return fail(Failures.LOCAL_ERROR, "nothing_to_send", e.getMessage());
        }
        switch (result) {
            case SendResult.NotOnParley(String normalized) -> {
                if (json()) {
                    printJson(fields("handle", normalized, "route", "sms", "sent", false, "devices", 0,
                            "syncDevices", 0, "serverTimestamp", null, "identityChanges", List.of()));
                } else {
                    err().println(normalized + " is not on Parley; send it by SMS instead");
                    err().flush();
                }
                return SMS_ROUTE;
            }
            case SendResult.Delivered delivered -> {
                for (IdentityChangeNotice change : delivered.identityChanges()) {
                    warn(IdentityWarnings.describe(change));
                }
                if (json()) {
                    printJson(fields("handle", delivered.handle(), "route", "parley", "sent", true,
                            "devices", delivered.deviceCount(), "syncDevices", delivered.syncCount(),
                            "serverTimestamp", delivered.serverTimestamp(),
                            "identityChanges", delivered.identityChanges().stream().map(c -> fields("handle", c.handle(),
                                    "accountId", c.accountId(), "deviceId", c.deviceId())).toList()));
                } else {
                    // The documented fixed format, singular included, so scripts can match it.
                    printLine("sent to " + delivered.handle() + " (" + delivered.deviceCount() + (delivered.deviceCount() == 1 ? " device)" : " devices)"));
                }
                return OK;
            }
        }
    }
}
