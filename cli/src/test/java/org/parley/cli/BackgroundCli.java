// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import picocli.CommandLine;

/**
 * One {@code parley} command line running in-process on its own thread, whose output can be read while
 * it runs: for {@code receive --follow} and for receivers racing each other.
 */
final class BackgroundCli {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();
    private final CompletableFuture<Integer> exit = new CompletableFuture<>();
    private final Thread thread;

    private BackgroundCli(String... args) {
        thread = Thread.ofPlatform().name("parley " + String.join(" ", args)).start(() -> {
            CommandLine cli = new CommandLine(new Main());
            cli.setExecutionExceptionHandler(new Failures());
            cli.setOut(new PrintWriter(out, true));
            cli.setErr(new PrintWriter(err, true));
            try {
                exit.complete(cli.execute(args));
            } catch (Throwable t) {
                exit.completeExceptionally(t);
            }
        });
    }

    static BackgroundCli start(String... args) {
        return new BackgroundCli(args);
    }

    Thread thread() {
        return thread;
    }

    String out() {
        return out.toString();
    }

    /** Polls until standard output satisfies {@code condition}; fails with what was printed otherwise. */
    void awaitOut(Predicate<String> condition, Duration timeout, String what) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.test(out())) {
            if (System.nanoTime() > deadline || exit.isDone()) {
                throw new AssertionError("waited for " + what + "; out: " + out() + " err: " + err);
            }
            Thread.sleep(20);
        }
    }

    /** Waits for the command to end and returns what it printed. */
    CliRun await(Duration timeout) throws InterruptedException, ExecutionException {
        try {
            int code = exit.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return new CliRun(code, out().replace("\r", ""), err.toString().replace("\r", ""));
        } catch (TimeoutException e) {
            throw new AssertionError("still running after " + timeout + "; out: " + out() + " err: " + err, e);
        }
    }
}
