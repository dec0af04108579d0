// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.cli;

import java.util.Map;
import org.parley.client.ParleyClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code parley account delete --yes}: deletes the account on the server (every device, key, queued
 * message and the handle, which can then be registered again). Without {@code --yes} it only says
 * what would happen, because there is no undo.
 */
@Command(name = "delete", mixinStandardHelpOptions = true, exitCodeOnInvalidInput = 1,
        description = "Delete your account on the server: all its devices, keys, queued messages and its handle."
                + " Needs --yes; there is no undo.")
public final class AccountDeleteCommand extends UserCommand {
    @Option(names = "--yes", description = "Confirm: delete the account now.")
    boolean yes;

    @Override
    int run(ParleyClient client) {
        String handle = client.account().map(a -> a.handle()).orElse("this account");
        if (!yes) {
            return fail(Failures.LOCAL_ERROR, "confirmation_required", "this deletes " + handle
                    + " on the server with all its devices, keys and queued messages, and cannot be undone;"
                    + " run again with --yes to delete it");
        }
        client.deleteAccount();
        if (json()) {
            printJson(Map.of("deleted", handle));
        } else {
            printLine("deleted " + handle + " on the server; this home is no longer registered"
                    + " (its message history stays here)");
        }
        return OK;
    }
}
