// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.cli;

import picocli.CommandLine.Command;

/** {@code parley keys ...}: this device's prekeys. */
@Command(name = "keys", mixinStandardHelpOptions = true,
        description = "This device's prekeys.",
        subcommands = {KeysStatusCommand.class})
final class KeysCommand {}
