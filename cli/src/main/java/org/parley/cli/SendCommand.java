// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.cli;

import java.nio.file.Files;
import java.nio.file.Path;

import java.util.List;
import org.parley.client.GroupSendResult;
import org.parley.client.IdentityChangeNotice;
import org.parley.client.NothingToSendException;
import org.parley.client.ParleyClient;
import org.parley.client.SendMode;
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
    @Parameters(index = "0", paramLabel = "HANDLE", description = "The recipient's phone number or email address"
            + " (with --group there is no HANDLE: every word is TEXT).")
    String handle;

    // 0..* so that `send --group ID TEXT` and `send HANDLE --attach FILE` parse; precheck requires something to send.
    @Parameters(index = "1..*", arity = "0..*", paramLabel = "TEXT",
            description = "The message; several words are joined with single spaces. May be left out with --attach.")
    List<String> words;

    @Option(names = "--group", paramLabel = "ID", description = "Send TEXT to the group ID (see `parley group list`)"
            + " instead of to a HANDLE.")
    String group;

    @Option(names = "--attach", paramLabel = "FILE", description = "Attach FILE (repeatable): it is encrypted on this"
            + " device under a fresh key, uploaded, and the key travels inside the end-to-end encrypted message.")
    List<Path> attachments;

    @Mixin
    ServerOverride servers;

    @Override
    Integer precheck() {
        if (group != null) {
            return null;
        }
        if (words == null || words.isEmpty()) {
            if (attachments == null || attachments.isEmpty()) {
                return fail(Failures.USAGE, UsageErrors.ERROR, "Missing required parameter: 'TEXT'");
            }
        }
        return checkHandles(List.of(handle));
    }

    @Option(names = "--private", negatable = true, description = "Look the handle up privately (OPRF): the server"
            + " learns a bucket of at least lookup.private.min-bucket handles, never the handle itself."
            + " --no-private forces the plain lookup. Default: private when the server requires it (lookup.mode).")
    Boolean privateLookup;

    private int sendToGroup(ParleyClient client, SendMode mode) {
        List<String> all = new java.util.ArrayList<>();
        all.add(handle);
        if (words != null) {
            all.addAll(words);
        }
        GroupSendResult sent = client.sendToGroup(group, String.join(" ", all), mode);
        if (json()) {
            printJson(fields("group", sent.groupId(), "name", sent.groupName(), "sent", true,
                    "members", sent.accounts(), "devices", sent.devices(), "sentAt", sent.sentAt(),
                    "serverTimestamp", sent.serverTimestamp(), "sealedMembers", sent.sealedAccounts()));
        } else {
            printLine("sent to group " + sent.groupName() + " (" + sent.accounts()
                    + (sent.accounts() == 1 ? " member, " : " members, ") + sent.devices()
                    + (sent.devices() == 1 ? " device)" : " devices)")
                    + (sent.sealedAccounts() == 0 ? "" : ", sealed to " + sent.sealedAccounts() + " of "
                    + sent.accounts()));
        }
        return OK;
    }

    @Option(names = "--sms", description = "If HANDLE is not on Parley, send TEXT as a plain SMS (NOT end-to-end"
            + " encrypted: the operator and the carriers can read it). Without it, a terminal asks; a script gets exit 3.")
    boolean sms;

    @Option(names = "--sealed", description = "Send with sealed sender or not at all: the server does not learn"
            + " who sends. Needs the recipient's access key, which comes with their first message to you. Without"
            + " --sealed or --identified, a message is sealed whenever this device has that key.")
    boolean sealed;

    @Option(names = "--identified", description = "Never seal: the server sees this device as the sender.")
    boolean identified;

    @Override
    int run(ParleyClient client) {
        client.usePrivateLookup(privateLookup);
        servers.applyTo(client);
        if (sealed && identified) {
            return fail(Failures.USAGE, "usage", "--sealed and --identified exclude each other");
        }
        SendMode mode = sealed ? SendMode.SEALED : identified ? SendMode.IDENTIFIED : SendMode.AUTO;
        if (group != null) {
            return sendToGroup(client, mode);
        }
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
            result = files.isEmpty() ? client.send(handle, text, mode) : client.send(handle, text.isEmpty() ? null : text, files);
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
                            "serverTimestamp", delivered.serverTimestamp(), "sealed", delivered.sealed(), "attachments", files.size(),
                            "identityChanges", delivered.identityChanges().stream().map(c -> fields("handle", c.handle(),
                                    "accountId", c.accountId(), "deviceId", c.deviceId())).toList()));
                } else {
                    // The documented fixed format, singular included, so scripts can match it.
                    printLine("sent to " + delivered.handle() + " (" + delivered.deviceCount() + (delivered.deviceCount() == 1 ? " device)" : " devices)")
                            + (delivered.sealed() ? ", sealed" : ""));
                }
                return OK;
            }
        }
    }
}
