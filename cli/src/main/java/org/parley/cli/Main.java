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
        versionProvider = Main.Version.class,
        description = "Parley: end-to-end encrypted messaging with an honest lookup log.",
        subcommands = {
            ServerCommand.class,
            AdminCommand.class,
            RegisterCommand.class, VerifyCommand.class, LookupCommand.class, SendCommand.class,
            ReceiveCommand.class, SafetyNumberCommand.class, AccountCommand.class, NoticesCommand.class,
            CommandLine.HelpCommand.class,
        })
public final class Main {
    static {
        // One line per record, UTC timestamps. Must be set before java.util.logging initialises.
        System.setProperty("java.util.logging.SimpleFormatter.format", "%1$tFT%1$tT.%1$tLZ %4$s %3$s: %5$s%6$s%n");
        System.setProperty("user.timezone", "UTC");
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs a command line and returns its exit code; used by tests to drive the CLI in-process. */
    public static int run(String... args) {
        CommandLine cli = new CommandLine(new Main());
        cli.setExecutionExceptionHandler(new Failures());
        return cli.execute(args);
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"parley " + (v == null ? "development build" : v)};
        }
    }
}
