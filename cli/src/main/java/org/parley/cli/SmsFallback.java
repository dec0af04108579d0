// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.cli;

import java.io.Console;
import java.util.List;
import org.parley.client.ParleyClient;
import org.parley.protocol.Handles;
import org.parley.protocol.SmsStatus;

/**
 * What {@code parley send} does when the handle is not on Parley: send the text as a plain SMS, but
 * only on the user's explicit choice ({@code --sms}, or "y" at a prompt on a terminal), and never
 * without saying what that means. Without that choice it keeps exit code 3 so scripts can decide.
 */
final class SmsFallback {
    static final String WARNING = "SMS is NOT end-to-end encrypted: the server's operator, the SMS gateway and the"
            + " mobile carriers can read this message.";

    private static final String NOT_ON_PARLEY = "%s is not on Parley; send it by SMS instead";

    private final UserCommand command;

    SmsFallback(UserCommand command) {
        this.command = command;
    }

    int run(ParleyClient client, String handle, String text, boolean smsChosen) {
        if (Handles.kind(handle) != Handles.Kind.PHONE) {
            return notOnParley(handle, smsChosen ? handle + " is not on Parley, and SMS cannot reach an email address"
                    : NOT_ON_PARLEY.formatted(handle));
        }
        boolean chosen = smsChosen || askOnTerminal(handle);
        if (!chosen) {
            // Today's exact line: scripts match it (README); --help tells about --sms.
            return notOnParley(handle, NOT_ON_PARLEY.formatted(handle));
        }
        command.warn(WARNING);
        SmsStatus sms = client.sms().send(handle, text);
        if (command.json()) {
            command.printJson(UserCommand.fields("handle", handle, "route", "sms", "sent", true, "smsId", sms.id(),
                    "status", sms.status(), "parts", sms.parts().size(), "encrypted", false));
        } else {
            command.printLine("sent as SMS to " + handle + " (" + sms.parts().size()
                    + (sms.parts().size() == 1 ? " part" : " parts") + ", " + sms.status() + ", not end-to-end encrypted);"
                    + " id " + sms.id() + " (`parley sms status " + sms.id() + "`)");
        }
        return UserCommand.OK;
    }

    /** On an interactive terminal: states the warning and asks; anywhere else: no. */
    private boolean askOnTerminal(String handle) {
        Console console = System.console();
        if (console == null || !console.isTerminal() || command.json()) {
            return false;
        }
        console.printf("%s is not on Parley. %s%n", handle, WARNING);
        String answer = console.readLine("Send it as an SMS anyway? [y/N] ");
        return answer != null && (answer.strip().equalsIgnoreCase("y") || answer.strip().equalsIgnoreCase("yes"));
    }

    private int notOnParley(String handle, String message) {
        if (command.json()) {
            // The same document as every send result (docs/cli.md); exit 3 is not a failure.
            command.printJson(UserCommand.fields("handle", handle, "route", "sms", "sent", false, "devices", 0,
                    "syncDevices", 0, "serverTimestamp", null, "identityChanges", List.of()));
        } else {
            command.err().println(message);
            command.err().flush();
        }
        return UserCommand.SMS_ROUTE;
    }
}
