// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.cli;

import java.util.List;
import java.util.Optional;
import org.parley.client.ParleyClient;
import org.parley.client.PendingRegistration;
import org.parley.client.transport.ServerUrls;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code parley register HANDLE --server URL}: asks the server to send a verification code. In a home
 * that already holds a registered device it refuses without {@code --replace} (see {@link RegisteredHome}).
 */
@Command(name = "register", mixinStandardHelpOptions = true, exitCodeOnInvalidInput = 1,
        description = "Request a verification code for HANDLE (a +E.164 number or an email address).")
public final class RegisterCommand extends UserCommand {
    @Parameters(index = "0", paramLabel = "HANDLE", description = "Your phone number (+12025550143) or email address.")
    String handle;

    @Option(names = "--server", required = true, split = ",", paramLabel = "URL",
            description = "The Parley server, e.g. https://parley.example.org. Repeat it (or separate URLs with"
                    + " commas) to list several nodes of one deployment: the first registers, all are stored and"
                    + " tried in order when one cannot be reached.")
    List<String> servers;

    @Option(names = "--replace", description = "Replace the device already registered in this home: its queued"
            + " messages and identity key are lost (run `parley receive` first).")
    boolean replace;

    @Override
    boolean needsRegistration() {
        return false;
    }

    /** A mistyped handle or URL is refused before the home is created. */
    @Override
    Integer precheck() {
        Integer invalid = checkHandles(List.of(handle));
        if (invalid != null) {
            return invalid;
        }
        for (String server : servers) {
            try {
                ServerUrls.normalize(server);
            } catch (IllegalArgumentException e) {
                // The message may quote the URL itself; then it is not repeated.
                String value = e.getMessage().contains(server.strip()) ? "" : " '" + server + "'";
                return fail(Failures.LOCAL_ERROR, "invalid_server_url", "invalid --server" + value + ": " + e.getMessage());
            }
        }
        return null;
    }

    @Override
    int run(ParleyClient client) {
        Optional<Integer> replacing = client.account().filter(a -> a.registered()).map(a -> a.deviceId());
        if (replacing.isPresent() && !replace) {
            String rerun = "parley register " + handle.strip() + " --server " + String.join(",", servers) + " --home " + options.home + " --replace";
            return fail(Failures.LOCAL_ERROR, "registered_home",
                    RegisteredHome.refusal(client, options.home, "Registering again", rerun).orElseThrow());
        }
        PendingRegistration pending = client.startRegistration(servers, handle);
        if (json()) {
            printJson(fields("handle", pending.handle(), "server", pending.serverUrl().toString(),
                    "expiresAt", pending.expiresAt().toString(), "replacing", replacing.isPresent()));
        } else {
            printLine("verification code sent to " + pending.handle() + " (valid until " + pending.expiresAt()
                    + "); run `parley verify CODE" + (replacing.isPresent() ? " --replace`: it replaces the device"
                            + " registered in this home" : "`"));
        }
        return OK;
    }
}
