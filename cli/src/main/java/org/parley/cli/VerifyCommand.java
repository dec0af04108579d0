// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.cli;

import java.util.Optional;
import org.parley.client.AccountInfo;
import org.parley.client.ParleyClient;
import org.parley.client.Registration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code parley verify CODE}: proves the code, creates this device's keys and uploads its prekeys. */
@Command(name = "verify", mixinStandardHelpOptions = true, exitCodeOnInvalidInput = 1,
        description = "Finish registration with the code the server sent.")
public final class VerifyCommand extends UserCommand {
    @Parameters(index = "0", paramLabel = "CODE", description = "The 6-digit verification code.")
    String code;

    /** It needs a pending registration, not a finished one; checked below for a precise message. */
    @Override
    boolean needsRegistration() {
        return false;
    }

    @Override
    int run(ParleyClient client) {
        Optional<AccountInfo> account = client.account();
        if (account.isEmpty() || !account.get().pendingVerification()) {
            return fail(Failures.LOCAL_ERROR, "no_pending_registration",
                    "no registration is pending in " + options.home + "; run `parley register HANDLE --server URL` first");
        }
        Registration registration = client.verify(code);
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
}
