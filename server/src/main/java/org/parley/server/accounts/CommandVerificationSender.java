// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.accounts;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Runs the operator's {@code verification.command} through {@code /bin/sh -c} with
 * {@code PARLEY_HANDLE} and {@code PARLEY_CODE} in its environment (never on its command line,
 * where other local users could read them). Exit status 0 within the timeout means sent.
 *
 * <p>The command's standard output is discarded; its standard error goes to the server's, so the
 * operator can see why a delivery failed.
 */
final class CommandVerificationSender implements VerificationSender {
    private static final System.Logger LOG = System.getLogger(CommandVerificationSender.class.getName());
    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    private final String command;
    private final Duration timeout;

    CommandVerificationSender(String command, Duration timeout) {
        this.command = command;
        this.timeout = timeout;
    }

    @Override
    public void send(String handle, String code) {
        ProcessBuilder builder = new ProcessBuilder("/bin/sh", "-c", command)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.INHERIT);
        builder.environment().put("PARLEY_HANDLE", handle);
        builder.environment().put("PARLEY_CODE", code);
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "verification.command could not be started: " + e.getMessage());
            throw VerificationSenders.failed("the verification code could not be sent; try again later");
        }
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                LOG.log(System.Logger.Level.WARNING, "verification.command did not finish within " + timeout + " and was killed");
                throw VerificationSenders.failed("the verification code could not be sent in time; try again later");
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw VerificationSenders.failed("the verification code could not be sent; try again later");
        }
        int exit = process.exitValue();
        if (exit != 0) {
            LOG.log(System.Logger.Level.WARNING, "verification.command exited with status " + exit);
            throw VerificationSenders.failed("the verification code could not be sent; try again later");
        }
    }
}
