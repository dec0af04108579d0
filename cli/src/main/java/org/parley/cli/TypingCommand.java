// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.cli;

import java.util.List;
import org.parley.client.ParleyClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code parley typing HANDLE [--stop]}: a typing indicator, end-to-end like a message, never stored in history. */
@Command(name = "typing", mixinStandardHelpOptions = true, exitCodeOnInvalidInput = 1,
        description = "Tell HANDLE that you are typing (or, with --stop, that you stopped).")
public final class TypingCommand extends UserCommand {
    @Parameters(index = "0", paramLabel = "HANDLE")
    String handle;

    @Option(names = "--stop", description = "Say that you stopped typing.")
    boolean stop;

    @Mixin
    ServerOverride servers;

    @Override
    Integer precheck() {
        return checkHandles(List.of(handle));
    }

    @Override
    int run(ParleyClient client) {
        servers.applyTo(client);
        client.typing(handle, !stop);
        if (json()) {
            printJson(fields("handle", handle, "typing", !stop));
        }
        return OK;
    }
}
