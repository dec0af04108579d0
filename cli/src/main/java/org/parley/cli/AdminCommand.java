// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.cli;

import picocli.CommandLine.Command;

/** Operator commands; each reads the operator token from {@code --token-file}. */
@Command(name = "admin",
        description = "Operator commands (need the token in <data>/admin.token).",
        mixinStandardHelpOptions = true,
        subcommands = {AdminLookupLogCommand.class})
final class AdminCommand {}
