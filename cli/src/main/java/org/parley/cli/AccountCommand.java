// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.cli;

import picocli.CommandLine.Command;

/** {@code parley account ...}: the user's view of their account on the server. */
@Command(name = "account", mixinStandardHelpOptions = true,
        description = "Your account on the server.",
        subcommands = {AccountExportCommand.class, AccountSmsCommand.class, AccountReadReceiptsCommand.class,
                AccountSealedSenderCommand.class, AccountDeleteCommand.class})
final class AccountCommand {}
