// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.cli;

import java.io.PrintWriter;
import java.util.Arrays;
import picocli.CommandLine;

/**
 * A command line that does not parse: exit 1 (see {@link Main#commandLine}). For a person, picocli's
 * message with its suggestions or the usage; with {@code --json} anywhere on the line, one error
 * document on standard error like every other failure, so a script never has to parse usage text.
 */
final class UsageErrors implements CommandLine.IParameterExceptionHandler {
    static final String ERROR = "usage";

    @Override
    public int handleParseException(CommandLine.ParameterException e, String[] args) {
        CommandLine cli = e.getCommandLine();
        PrintWriter err = cli.getErr();
        if (jsonRequested(args)) {
            JsonOutput.printError(err, ERROR, e.getMessage(), Failures.USAGE);
            return Failures.USAGE;
        }
        err.println(e.getMessage());
        if (!CommandLine.UnmatchedArgumentException.printSuggestions(e, err)) {
            cli.usage(err, cli.getColorScheme());
        }
        err.flush();
        return Failures.USAGE;
    }

    static boolean jsonRequested(String[] args) {
        return Arrays.asList(args).contains("--json");
    }
}
