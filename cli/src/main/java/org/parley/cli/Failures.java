// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.cli;

import picocli.CommandLine;

/**
 * Prints a failure as one clear line instead of a stack trace. {@code PARLEY_DEBUG=1} shows the
 * trace for bug reports.
 */
final class Failures implements CommandLine.IExecutionExceptionHandler {
    /** A mistyped command line; the same code as any other local error, as the README documents. */
    static final int USAGE = 1;
    static final int LOCAL_ERROR = 1;
    static final int SERVER_ERROR = 2;

    @Override
    public int handleExecutionException(Exception e, CommandLine cmd, CommandLine.ParseResult parsed) {
        if ("1".equals(System.getenv("PARLEY_DEBUG"))) {
            e.printStackTrace(cmd.getErr());
        }
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        cmd.getErr().println("parley " + cmd.getCommandName() + ": " + message);
        return LOCAL_ERROR;
    }
}
