// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.cli;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParseResult;

/**
 * How a parsed command line runs: picocli's {@link CommandLine.RunLast}, with two additions.
 * {@code --version --json} prints the version as one JSON document, and a command that only groups
 * subcommands ({@code parley}, {@code parley admin}, ...) run without one is a usage error (exit 1)
 * instead of picocli's "not a Runnable" failure.
 */
final class Execution implements CommandLine.IExecutionStrategy {
    @Override
    public int execute(ParseResult parsed) {
        List<ParseResult> chain = chain(parsed);
        if (chain.stream().anyMatch(ParseResult::isVersionHelpRequested)
                && chain.stream().anyMatch(p -> p.hasMatchedOption("--json"))) {
            CommandLine cli = chain.getLast().commandSpec().commandLine();
            JsonOutput.print(cli.getOut(), BuildVersion.current());
            return 0;
        }
        Integer help = CommandLine.executeHelpRequest(parsed);
        if (help != null) {
            return help;
        }
        CommandSpec last = chain.getLast().commandSpec();
        if (!runnable(last.userObject()) && !last.subcommands().isEmpty()) {
            CommandLine cli = last.commandLine();
            String message = "a command is required: one of " + String.join(", ", visibleSubcommands(last))
                    + " (" + last.qualifiedName() + " --help explains each)";
            if (UsageErrors.jsonRequested(parsed.originalArgs().toArray(String[]::new))) {
                JsonOutput.printError(cli.getErr(), UsageErrors.ERROR, message, Failures.USAGE);
            } else {
                cli.getErr().println(last.qualifiedName() + ": " + message);
                cli.getErr().flush();
            }
            return Failures.USAGE;
        }
        return new CommandLine.RunLast().execute(parsed);
    }

    private static List<ParseResult> chain(ParseResult parsed) {
        List<ParseResult> chain = new ArrayList<>();
        for (ParseResult p = parsed; p != null; p = p.subcommand()) {
            chain.add(p);
        }
        return chain;
    }

    private static boolean runnable(Object command) {
        return command instanceof Runnable || command instanceof Callable || command instanceof Method;
    }

    private static List<String> visibleSubcommands(CommandSpec spec) {
        return spec.subcommands().entrySet().stream()
                .filter(e -> !e.getValue().getCommandSpec().usageMessage().hidden())
                .filter(e -> e.getKey().equals(e.getValue().getCommandName())) // aliases once
                .map(java.util.Map.Entry::getKey)
                .toList();
    }
}
