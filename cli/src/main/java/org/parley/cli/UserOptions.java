// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Options every user command shares: where the device's state lives, and the output format. */
public final class UserOptions {
    @Option(names = "--home", paramLabel = "DIR", defaultValue = "${sys:user.home}/.parley",
            description = "The device's private state directory (default: ${DEFAULT-VALUE}).")
    Path home;

    @Option(names = "--json", description = "Machine-readable output: one JSON document (docs/cli.md).")
    boolean json;
}
