// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.cli;

import java.time.Duration;
import java.util.List;
import org.parley.client.ParleyClient;
import org.parley.client.PendingLink;
import org.parley.client.Registration;
import org.parley.client.transport.ServerUrls;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code parley device link --server URL}: on the NEW device. Prints a link code (and its QR code), waits
 * for a device of the account to run {@code parley device add CODE}, then registers this home as a new
 * device of that account.
 */
@Command(name = "link", mixinStandardHelpOptions = true, exitCodeOnInvalidInput = 1,
        description = "On a new device: print a link code, wait until a device of your account adds it with"
                + " `parley device add CODE`, then register this home as a device of that account.")
public final class DeviceLinkCommand extends UserCommand {
    @Option(names = "--server", required = true, split = ",", paramLabel = "URL",
            description = "Your account's Parley server (repeat for several nodes, as for register).")
    List<String> servers;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "600",
            description = "How long to wait for the other device (default ${DEFAULT-VALUE}; the code expires then).")
    int timeoutSeconds;

    @Option(names = "--no-qr", description = "Print only the code, not its QR code.")
    boolean noQr;

    @Override
    boolean needsRegistration() {
        return false;
    }

    @Override
    Integer precheck() {
        if (timeoutSeconds < 1) {
            return fail(Failures.USAGE, "usage", "--timeout must be at least 1 second");
        }
        for (String server : servers) {
            try {
                ServerUrls.normalize(server);
            } catch (IllegalArgumentException e) {
                return fail(Failures.LOCAL_ERROR, "invalid_server_url", "invalid --server: " + e.getMessage());
            }
        }
        return null;
    }

    @Override
    int run(ParleyClient client) {
        if (client.account().filter(a -> a.registered()).isPresent()) {
            return fail(Failures.LOCAL_ERROR, "registered_home", "this home (" + options.home + ") already holds a"
                    + " registered device; link the new device into an empty --home");
        }
        try (PendingLink link = client.beginLink(servers)) {
            String code = link.code().uri();
            if (json()) {
                // Standard output carries the one JSON document (the result); the code goes to standard
                // error for the script or person to hand over.
                err().println("link code: " + code);
                err().flush();
            } else {
                printLine("On a device of your account, run:");
                printLine("  parley device add '" + code + "'");
                if (!noQr) {
                    printLine("or scan this code:");
                    TerminalQr.lines(code).forEach(this::printLine);
                }
                printLine("waiting for the other device (until " + link.expiresAt() + ") ...");
            }
            Registration done = client.completeLink(link, Duration.ofSeconds(timeoutSeconds));
            if (json()) {
                printJson(fields("handle", done.handle(), "accountId", done.accountId(),
                        "deviceId", done.deviceId(), "preKeysUploaded", done.preKeysUploaded()));
            } else {
                printLine("linked: this home is device " + done.deviceId() + " of " + done.handle());
            }
            if (done.preKeyUploadError() != null) {
                warn("the one-time prekeys could not be uploaded (" + done.preKeyUploadError() + "); the next"
                        + " `parley receive` tries again");
            }
            return OK;
        }
    }
}
