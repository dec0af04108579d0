// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.bench;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code parley bench SCENARIO}: Parley's load generator. It drives a running server over the real
 * protocol (HTTP and the delivery WebSocket) with simulated devices that register through the normal API,
 * reading verification codes written by the server's development sender. See docs/performance.md for the
 * published figures and the exact commands behind them.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Load generator: drives a Parley server with simulated devices over HTTP and WebSocket. The"
                + " server must use the development verification sender (it does on loopback), and --data must name"
                + " its data directory. The human report goes to standard output; --json FILE writes it as JSON.",
        subcommands = {
            RelayCommand.class,
            RelaySweepCommand.class,
            OfflineDrainCommand.class,
            LookupStormCommand.class,
            ConnectionsCommand.class,
        })
public final class BenchCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(),
                "name a scenario: relay, relay-sweep, offline-drain, lookup or connections");
    }

    /**
     * {@code ./parley bench ARGS}: the launcher runs this main on the bench module's class path, so
     * that JMH and the load generator stay off the production CLI's (docs/performance.md).
     */
    public static void main(String[] args) {
        // One line per record, UTC timestamps, as the CLI's; set before java.util.logging initialises.
        System.setProperty("java.util.logging.SimpleFormatter.format", "%1$tFT%1$tT.%1$tLZ %4$s %3$s: %5$s%6$s%n");
        System.setProperty("user.timezone", "UTC");
        System.exit(run(args));
    }

    /** Runs {@code parley bench ARGS} in-process and returns the exit code; failures print a stack trace. */
    public static int run(String... args) {
        CommandLine cli = new CommandLine(new BenchCommand());
        cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
            e.printStackTrace(cmd.getErr());
            return 1;
        });
        return cli.execute(args);
    }
}
