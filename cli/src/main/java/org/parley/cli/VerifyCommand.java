// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.cli;

import java.nio.file.Files;
import java.util.Optional;
import org.parley.client.AccountInfo;
import org.parley.client.error.ParleyApiException;
import org.parley.client.ParleyClient;
import org.parley.client.Registration;
import org.parley.client.store.StateDatabase;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code parley verify CODE}: proves the code, creates this device's keys and uploads its prekeys. When
 * the home already holds a registered device (a re-registration of the same handle), verifying replaces
 * it, so it refuses without {@code --replace} (see {@link RegisteredHome}).
 */
@Command(name = "verify", mixinStandardHelpOptions = true, exitCodeOnInvalidInput = 1,
        description = "Finish registration with the code the server sent.")
public final class VerifyCommand extends UserCommand {
    @Parameters(index = "0", paramLabel = "CODE", description = "The 6-digit verification code.")
    String code;

    @Option(names = "--replace", description = "Replace the device already registered in this home: its queued"
            + " messages and identity key are lost (run `parley receive` first).")
    boolean replace;

    /** It needs a pending registration, not a finished one; checked below for a precise message. */
    @Override
    boolean needsRegistration() {
        return false;
    }

    /** Without a home there is nothing to verify, and opening one would create it. */
    @Override
    Integer precheck() {
        if (!Files.exists(options.home.resolve(StateDatabase.FILE_NAME))) {
            return noPendingRegistration();
        }
        return null;
    }

    @Override
    int run(ParleyClient client) {
        Optional<AccountInfo> account = client.account();
        if (account.isEmpty() || !account.get().pendingVerification()) {
            return noPendingRegistration();
        }
        if (account.get().registered() && !replace) {
            return fail(Failures.LOCAL_ERROR, "registered_home", RegisteredHome.refusal(client, options.home,
                    "Verifying the new code", "parley verify CODE --home " + options.home + " --replace").orElseThrow());
        }
        Registration registration;
        try {
            registration = client.verify(code);
        } catch (ParleyApiException e) {
            return VerifyFailures.explain(this, e, account.get());
        }
        if (registration.preKeyUploadError() != null) {
            warn("registered, but uploading one-time prekeys failed (" + registration.preKeyUploadError()
                    + "); `parley receive` will retry");
        }
        if (json()) {
            printJson(fields("handle", registration.handle(), "accountId", registration.accountId(),
                    "deviceId", registration.deviceId(), "server", registration.serverUrl().toString()));
        } else {
            printLine("registered " + registration.handle() + " as device " + registration.deviceId()
                    + " on " + registration.serverUrl());
        }
        return OK;
    }

    private int noPendingRegistration() {
        return fail(Failures.LOCAL_ERROR, "no_pending_registration",
                "no registration is pending in " + options.home + "; run `parley register HANDLE --server URL"
                        + " --home " + options.home + "` first");
    }
}
