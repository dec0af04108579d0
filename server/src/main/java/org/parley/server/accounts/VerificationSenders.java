// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.accounts;

import java.io.PrintStream;
import java.util.function.Supplier;
import org.parley.server.config.ConfigException;
import org.parley.server.config.ServerConfig;
import org.parley.server.errors.SenderFailed;

/**
 * Chooses the verification sender from {@code verification.sender}. The development sender leaks
 * codes to whoever can read the console or the data directory, so it is refused unless the server
 * listens on loopback only; {@code auto} means exactly that choice and fails loudly otherwise.
 */
final class VerificationSenders {
    private VerificationSenders() {}

    static VerificationSender forConfig(ServerConfig config, PrintStream console) {
        return forConfig(config, console, null);
    }

    /** {@code smpp} builds the SMS sender; null when the caller has none (then {@code smpp} is refused). */
    static VerificationSender forConfig(ServerConfig config, PrintStream console, Supplier<VerificationSender> smpp) {
        ServerConfig.Verification verification = config.verification();
        ServerConfig.Http http = config.http();
        return switch (verification.sender()) {
            case AUTO -> {
                if (!http.loopbackOnly()) {
                    throw new ConfigException("verification.sender is auto but the server listens on " + http.host()
                            + ", which is not loopback; set verification.sender to command and verification.command"
                            + " to a program that delivers PARLEY_CODE to PARLEY_HANDLE (SMS or email)");
                }
                yield new DevVerificationSender(http.dataDir(), console);
            }
            case DEV -> {
                if (!http.loopbackOnly()) {
                    throw new ConfigException("verification.sender is dev, which prints codes on the console, but the server"
                            + " listens on " + http.host() + ", which is not loopback; refusing to start. Set"
                            + " verification.sender to command, or listen on 127.0.0.1 for development");
                }
                yield new DevVerificationSender(http.dataDir(), console);
            }
            case COMMAND -> {
                if (verification.command() == null || verification.command().isBlank()) {
                    throw new ConfigException("verification.sender is command but verification.command is empty; set it to"
                            + " a program that delivers PARLEY_CODE to PARLEY_HANDLE");
                }
                yield new CommandVerificationSender(verification.command(), CommandVerificationSender.DEFAULT_TIMEOUT);
            }
            case SMPP -> {
                if (smpp == null) {
                    throw new ConfigException("verification.sender is smpp but this server was wired without the SMS"
                            + " feature; start it with `parley server`");
                }
                yield smpp.get();
            }
        };
    }

    /** The 503 a sender throws when it could not hand the code on. */
    static SenderFailed failed(String message) {
        return new SenderFailed(message);
    }
}
