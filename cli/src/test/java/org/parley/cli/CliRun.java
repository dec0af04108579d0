// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import picocli.CommandLine;

/** One in-process run of the {@code parley} command line, with what it printed. */
record CliRun(int exitCode, String out, String err) {

    /** Runs {@code args} as {@code parley} would, capturing standard output and error. */
    static CliRun parley(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = Main.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int code = cli.execute(args);
        return new CliRun(code, out.toString().replace("\r", ""), err.toString().replace("\r", ""));
    }

    /** Runs {@code args} and fails the test, showing what was printed, unless it exited 0. */
    static CliRun ok(String... args) {
        CliRun run = parley(args);
        assertEquals(0, run.exitCode(), () -> String.join(" ", args) + "\nout: " + run.out() + "\nerr: " + run.err());
        return run;
    }

    List<String> outLines() {
        return out.isEmpty() ? List.of() : List.of(out.split("\n"));
    }
}
