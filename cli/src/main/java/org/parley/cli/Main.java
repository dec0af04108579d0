// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code parley} command. Subcommands are listed here and nowhere else; each one is a small
 * class that does one job. Exit codes: 0 ok, 1 usage or local error, 2 server error, 3 the
 * handle routes to SMS, 4 the audit log's hash chain is broken ({@code parley admin audit verify}).
 */
@Command(name = "parley",
        mixinStandardHelpOptions = true,
        versionProvider = BuildVersion.Provider.class,
        description = "Parley: end-to-end encrypted messaging with an honest lookup log.",
        subcommands = {
            ServerCommand.class,
            AdminCommand.class,
            RegisterCommand.class, VerifyCommand.class, LookupCommand.class, SendCommand.class,
            ReceiveCommand.class, HistoryCommand.class, SafetyNumberCommand.class, AccountCommand.class, KeysCommand.class, NoticesCommand.class,
            DeviceCommand.class,
            SmsCommand.class, GroupCommand.class, TypingCommand.class,
            CommandLine.HelpCommand.class,
        })
public final class Main {
    static {
        // One line per record, UTC timestamps. Must be set before java.util.logging initialises.
        System.setProperty("java.util.logging.SimpleFormatter.format", "%1$tFT%1$tT.%1$tLZ %4$s %3$s: %5$s%6$s%n");
        // So that the server's last line, logged while the JVM shuts down, is still printed.
        System.setProperty("java.util.logging.manager", ShutdownSafeLogManager.class.getName());
        System.setProperty("user.timezone", "UTC");
    }

    @CommandLine.Option(names = "--json", description = "With --version: print {\"version\", \"commit\"} as JSON.")
    boolean json;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs a command line and returns its exit code; used by tests to drive the CLI in-process. */
    public static int run(String... args) {
        return commandLine().execute(args);
    }

    /**
     * The whole command tree, configured once for every caller (the launcher and the tests): usage
     * errors exit 1 as the README promises (picocli's own default is 2, which we reserve for the
     * server's errors), failures print one line, and {@link Execution} handles {@code --version --json}
     * and commands that need a subcommand.
     */
    static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new Main());
        cli.setExecutionExceptionHandler(new Failures());
        cli.setExecutionStrategy(new Execution());
        cli.setParameterExceptionHandler(new UsageErrors());
        configure(cli);
        return cli;
    }

    /** Settings every command in the tree shares, whatever its annotations say. */
    private static void configure(CommandLine cli) {
        CommandLine.Model.CommandSpec spec = cli.getCommandSpec();
        spec.exitCodeOnInvalidInput(Failures.USAGE);
        spec.exitCodeOnExecutionException(Failures.LOCAL_ERROR);
        if (spec.versionProvider() == null) {
            // Every subcommand's --version prints the same as parley --version.
            spec.versionProvider(new BuildVersion.Provider());
        }
        cli.getSubcommands().values().forEach(Main::configure);
    }
}
