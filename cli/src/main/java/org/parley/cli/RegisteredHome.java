// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.cli;

import java.nio.file.Path;
import java.util.Optional;
import org.parley.client.AccountInfo;
import org.parley.client.error.ParleyApiException;
import org.parley.client.ParleyClient;
import org.parley.client.error.ParleyException;

/**
 * The guard of {@code register} and {@code verify} in a home that already holds a registered device.
 * Registering the handle again replaces every device of the account on the server: their queued
 * envelopes are deleted and this device's identity key is replaced (docs/protocol.md, "Re-registration").
 * Issue 9 found that happening silently, so both commands refuse without {@code --replace} and say
 * what would be lost, with the queue depth the server reports for the account ({@code GET /v1/me/data}).
 */
final class RegisteredHome {
    private RegisteredHome() {}

    /**
     * Why {@code action} ("Registering again", "Verifying the new code") must not go ahead in this home without
     * {@code --replace}, or empty when the home holds no registered device. {@code rerun} is the
     * command line to give once the user has read what is waiting.
     */
    static Optional<String> refusal(ParleyClient client, Path home, String action, String rerun) {
        Optional<AccountInfo> account = client.account();
        if (account.isEmpty() || !account.get().registered()) {
            return Optional.empty();
        }
        AccountInfo a = account.get();
        return Optional.of("this home (" + home + ") holds a registered device for " + a.handle() + " (device "
                + a.deviceId() + " on " + a.serverUrl() + "); " + waiting(client) + ". " + action
                + " replaces that device: the waiting envelopes and its identity key would be lost, and your"
                + " contacts would see a new safety number. Read what is waiting with `parley receive --home "
                + home + "` first, then run `" + rerun + "`");
    }

    /** What the server holds for the account, in words; the refusal stands even if the server cannot say. */
    private static String waiting(ParleyClient client) {
        long queued;
        try {
            queued = client.myData().queuedEnvelopes();
        } catch (ParleyApiException e) {
            if (e.status() == 401) {
                return "the server no longer accepts its credentials (was the handle registered again elsewhere?),"
                        + " so nothing waiting for it can be read";
            }
            return "the server would not say how many envelopes are waiting for it (" + e.serverMessage() + ")";
        } catch (ParleyException e) {
            return "the server could not be asked how many envelopes are waiting for it (" + e.getMessage() + ")";
        }
        if (queued == 0) {
            return "no envelopes are waiting on the server for it";
        }
        return queued == 1 ? "1 envelope is waiting on the server for it" : queued + " envelopes are waiting on the server for it";
    }
}
