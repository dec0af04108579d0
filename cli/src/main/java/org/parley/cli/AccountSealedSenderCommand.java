// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.cli;

import org.parley.client.ParleyClient;
import org.parley.protocol.AccessKeyStatus;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code parley account sealed-sender [contacts|anyone]}: from whom this account accepts sealed-sender
 * messages. Without an argument it shows the setting.
 */
@Command(name = "sealed-sender", mixinStandardHelpOptions = true, exitCodeOnInvalidInput = 1,
        description = "Accept sealed-sender messages (the server does not learn their sender) only from contacts,"
                + " i.e. people you have messaged (default), or from anyone; or show the setting.")
public final class AccountSealedSenderCommand extends UserCommand {
    @Parameters(index = "0", arity = "0..1", paramLabel = "contacts|anyone",
            description = "contacts or anyone; omit to show the setting.")
    String value;

    @Override
    int run(ParleyClient client) {
        AccessKeyStatus status;
        if (value == null) {
            status = client.sealedSenderStatus();
        } else if (value.equalsIgnoreCase("contacts") || value.equalsIgnoreCase("anyone")) {
            status = client.acceptSealedFromAnyone(value.equalsIgnoreCase("anyone"));
        } else {
            return fail(Failures.LOCAL_ERROR, "usage", "expected contacts or anyone, not '" + value + "'");
        }
        if (json()) {
            printJson(status);
        } else if (!status.accessKeySet()) {
            printLine("this account receives no sealed-sender messages yet (no access key uploaded)");
        } else {
            printLine("sealed-sender messages accepted from " + (status.unrestricted()
                    ? "anyone" : "contacts only (people you have messaged); others must send identified"));
        }
        return OK;
    }
}
