// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.cli;

import java.util.List;
import org.parley.client.IdentityChangeNotice;
import org.parley.client.NothingToSendException;
import org.parley.client.ParleyClient;
import org.parley.client.SendMode;
import org.parley.client.SendResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code parley send HANDLE TEXT}: encrypts TEXT for every device of HANDLE. A handle that is not on
 * Parley exits with 3, so scripts can fall back to SMS.
 */
@Command(name = "send", mixinStandardHelpOptions = true, exitCodeOnInvalidInput = 1,
        description = "Send an end-to-end encrypted message. Exits 3 when HANDLE is not on Parley, unless --sms (or"
                + " a yes at the prompt) sends it as a plain SMS.")
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

    @Option(names = "--sms", description = "If HANDLE is not on Parley, send TEXT as a plain SMS (NOT end-to-end"
            + " encrypted: the operator and the carriers can read it). Without it, a terminal asks; a script gets exit 3.")
    boolean sms;

    @Option(names = "--sealed", description = "Send with sealed sender or not at all: the server does not learn"
            + " who sends. Needs the recipient's access key, which comes with their first message to you. Without"
            + " --sealed or --identified, a message is sealed whenever this device has that key.")
    boolean sealed;

    @Option(names = "--identified", description = "Never seal: the server sees this device as the sender.")
    boolean identified;

    @Override
    int run(ParleyClient client) {
        servers.applyTo(client);
        if (sealed && identified) {
            return fail(Failures.USAGE, "usage", "--sealed and --identified exclude each other");
        }
        SendMode mode = sealed ? SendMode.SEALED : identified ? SendMode.IDENTIFIED : SendMode.AUTO;
        String text = String.join(" ", words);
        SendResult result;
        try {
            result = client.send(handle, text, mode);
        } catch (NothingToSendException e) {
            return fail(Failures.LOCAL_ERROR, "nothing_to_send", e.getMessage());
        }
        switch (result) {
            case SendResult.NotOnParley(String normalized) -> {
                return new SmsFallback(this).run(client, normalized, text, sms);
            }
            case SendResult.Delivered delivered -> {
                for (IdentityChangeNotice change : delivered.identityChanges()) {
                    warn(IdentityWarnings.describe(change));
                }
                if (json()) {
                    printJson(fields("handle", delivered.handle(), "route", "parley", "sent", true,
                            "devices", delivered.deviceCount(), "syncDevices", delivered.syncCount(),
                            "serverTimestamp", delivered.serverTimestamp(), "sealed", delivered.sealed(),
                            "identityChanges", delivered.identityChanges().stream().map(c -> fields("handle", c.handle(),
                                    "accountId", c.accountId(), "deviceId", c.deviceId())).toList()));
                } else {
                    // The documented fixed format, singular included, so scripts can match it.
                    printLine("sent to " + delivered.handle() + " (" + delivered.deviceCount() + (delivered.deviceCount() == 1 ? " device)" : " devices)")
                            + (delivered.sealed() ? ", sealed" : ""));
                }
                return OK;
            }
        }
    }
}
