// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.cli;

import java.nio.file.Files;
import java.nio.file.Path;

import java.util.List;
import org.parley.client.IdentityChangeNotice;
import org.parley.client.NothingToSendException;
import org.parley.client.ParleyClient;
import org.parley.client.SendResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code parley send HANDLE TEXT}: encrypts TEXT for every device of HANDLE. A handle that is not on
 * Parley exits with 3, so scripts can fall back to SMS.
 */
@Command(name = "send", mixinStandardHelpOptions = true, exitCodeOnInvalidInput = 1,
        description = "Send an end-to-end encrypted message. Exits 3 when HANDLE is not on Parley, unless --sms (or"
                + " a yes at the prompt) sends it as a plain SMS.")
public final class SendCommand extends UserCommand {
    @Parameters(index = "0", paramLabel = "HANDLE", description = "The recipient's phone number or email address.")
    String handle;

    @Parameters(index = "1..*", arity = "0..*", paramLabel = "TEXT",
            description = "The message; several words are joined with single spaces. May be left out with --attach.")
    List<String> words;

    @Option(names = "--attach", paramLabel = "FILE", description = "Attach FILE (repeatable): it is encrypted on this"
            + " device under a fresh key, uploaded, and the key travels inside the end-to-end encrypted message.")
    List<Path> attachments;

    @Mixin
    ServerOverride servers;

    @Override
    Integer precheck() {
        // Before the home is opened: a command line without anything to send is a usage error.
        if ((words == null || words.isEmpty()) && (attachments == null || attachments.isEmpty())) {
            return fail(Failures.USAGE, "usage", "give a TEXT, or at least one --attach FILE");
        }
        return checkHandles(List.of(handle));
    }

    @Option(names = "--sms", description = "If HANDLE is not on Parley, send TEXT as a plain SMS (NOT end-to-end"
            + " encrypted: the operator and the carriers can read it). Without it, a terminal asks; a script gets exit 3.")
    boolean sms;

    @Override
    int run(ParleyClient client) {
        servers.applyTo(client);
        String text = words == null ? "" : String.join(" ", words);
        List<Path> files = attachments == null ? List.of() : attachments;
        if (text.isEmpty() && files.isEmpty()) {
            return fail(Failures.LOCAL_ERROR, "usage", "give a TEXT, or at least one --attach FILE");
        }
        for (Path file : files) {
            if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
                return fail(Failures.LOCAL_ERROR, "usage", "--attach " + file + ": no such readable file");
            }
        }
        SendResult result;
        try {
            result = files.isEmpty() ? client.send(handle, text) : client.send(handle, text.isEmpty() ? null : text, files);
        } catch (NothingToSendException e) {
            return fail(Failures.LOCAL_ERROR, "nothing_to_send", e.getMessage());
        }
        switch (result) {
            case SendResult.NotOnParley(String normalized) -> {
                if (!files.isEmpty()) {
                    return fail(SMS_ROUTE, "not_on_parley", normalized + " is not on Parley; attachments"
                            + " cannot go by SMS");
                }
                return new SmsFallback(this).run(client, normalized, text, sms);
            }
            case SendResult.Delivered delivered -> {
                for (IdentityChangeNotice change : delivered.identityChanges()) {
                    warn(IdentityWarnings.describe(change));
                }
                if (json()) {
                    printJson(fields("handle", delivered.handle(), "route", "parley", "sent", true,
                            "devices", delivered.deviceCount(), "syncDevices", delivered.syncCount(),
                            "serverTimestamp", delivered.serverTimestamp(), "attachments", files.size(),
                            "identityChanges", delivered.identityChanges().stream().map(c -> fields("handle", c.handle(),
                                    "accountId", c.accountId(), "deviceId", c.deviceId())).toList()));
                } else {
                    // The documented fixed format, singular included, so scripts can match it.
                    printLine("sent to " + delivered.handle() + " (" + delivered.deviceCount() + (delivered.deviceCount() == 1 ? " device)" : " devices)"));
                }
                return OK;
            }
        }
    }
}
