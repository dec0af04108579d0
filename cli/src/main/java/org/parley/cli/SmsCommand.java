// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.cli;

import org.parley.client.ParleyClient;
import org.parley.protocol.SmsStatus;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code parley sms ...}: the SMS this account sent through the server's gateway. */
@Command(name = "sms", mixinStandardHelpOptions = true,
        description = "SMS you sent to handles that are not on Parley (not end-to-end encrypted).",
        subcommands = {SmsCommand.Status.class})
final class SmsCommand {

    /** {@code parley sms status ID}: where the SMS is, from the gateway's delivery receipts. */
    @Command(name = "status", mixinStandardHelpOptions = true, exitCodeOnInvalidInput = 1,
            description = "Show an SMS's delivery state: queued, accepted (by the gateway), delivered or failed.")
    static final class Status extends UserCommand {
        @Parameters(index = "0", paramLabel = "ID", description = "The SMS id `parley send --sms` printed.")
        String id;

        @Override
        int run(ParleyClient client) {
            SmsStatus s = client.sms().status(id);
            if (json()) {
                printJson(s);
                return OK;
            }
            printLine(s.id() + "  to " + s.to() + "  " + s.status() + "  (" + s.parts().size()
                    + (s.parts().size() == 1 ? " part: " : " parts: ") + String.join(", ", s.parts()) + ", "
                    + s.alphabet() + ")" + (s.failure() == null ? "" : "  " + s.failure()));
            return OK;
        }
    }
}
