// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.cli;

import java.util.List;
import org.parley.client.ParleyClient;
import org.parley.client.PendingRegistration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code parley register HANDLE --server URL}: asks the server to send a verification code. */
@Command(name = "register", mixinStandardHelpOptions = true, exitCodeOnInvalidInput = 1,
        description = "Request a verification code for HANDLE (a +E.164 number or an email address).")
public final class RegisterCommand extends UserCommand {
    @Parameters(index = "0", paramLabel = "HANDLE", description = "Your phone number (+12025550143) or email address.")
    String handle;

    @Option(names = "--server", required = true, split = ",", paramLabel = "URL",
            description = "The Parley server, e.g. https://parley.example.org. Repeat it (or separate URLs with"
                    + " commas) to list several nodes of one deployment: the first registers, all are stored and"
                    + " tried in order when one cannot be reached.")
    List<String> servers;

    @Override
    boolean needsRegistration() {
        return false;
    }

    @Override
    int run(ParleyClient client) {
        PendingRegistration pending = client.startRegistration(servers, handle);
        if (json()) {
            printJson(fields("handle", pending.handle(), "server", pending.serverUrl().toString(),
                    "expiresAt", pending.expiresAt().toString()));
        } else {
            printLine("verification code sent to " + pending.handle() + " (valid until " + pending.expiresAt()
                    + "); run `parley verify CODE`");
        }
        return OK;
    }
}
