// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.cli;

import java.time.Duration;
import java.util.Locale;
import org.parley.client.IdentityChangeNotice;
import org.parley.client.ParleyClient;
import org.parley.client.ReceiveEvent;
import org.parley.client.ReceiveSummary;
import org.parley.client.ReceivedMessage;
import org.parley.client.UndecryptableMessage;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code parley receive [--timeout SECONDS]}: prints {@code HANDLE: TEXT} per message. Each message is
 * printed before it is acked, so nothing is acked that was not shown.
 */
@Command(name = "receive", mixinStandardHelpOptions = true, exitCodeOnInvalidInput = 1,
        description = "Receive messages until none arrives for --timeout seconds.")
public final class ReceiveCommand extends UserCommand {
    @Option(names = {"-t", "--timeout"}, paramLabel = "SECONDS", defaultValue = "5",
            description = "Seconds to wait for the next message after the backlog and after each message;"
                    + " negative waits forever, 0 only drains the queue (default: ${DEFAULT-VALUE}).")
    double timeoutSeconds;

    @Override
    int run(ParleyClient client) {
        Duration timeout = timeoutSeconds < 0 ? Duration.ofSeconds(-1) : Duration.ofMillis(Math.round(timeoutSeconds * 1000));
        ReceiveSummary summary = client.receive(timeout, this::print);
        if (summary.refillError() != null) {
            warn("could not top up prekeys: " + summary.refillError());
        }
        return switch (summary.stopReason()) {
            case TIMEOUT -> OK;
            // 4409 comes with "connected elsewhere" or "registered again elsewhere"; the server's words say which.
            case CONNECTED_ELSEWHERE -> fail(Failures.SERVER_ERROR, "connected_elsewhere",
                    "stopped receiving: " + reasonOr(summary, "connected elsewhere"));
            case SERVER_CLOSED -> fail(Failures.SERVER_ERROR, "closed",
                    "the server closed the connection: " + reasonOr(summary, "no reason given"));
        };
    }

    private static String reasonOr(ReceiveSummary summary, String fallback) {
        return summary.closeReason() == null || summary.closeReason().isBlank() ? fallback : summary.closeReason();
    }

    /** The server sends a null handle when the sending account no longer exists. */
    private static String sender(String handle, String accountId) {
        return handle != null ? handle : "(deleted account " + accountId + ")";
    }

    private void print(ReceiveEvent event) {
        switch (event) {
            case ReceivedMessage m -> {
                if (json()) {
                    printJson(fields("type", "message", "guid", m.guid(), "from", m.senderHandle(),
                            "sourceAccountId", m.sourceAccountId(), "sourceDeviceId", m.sourceDeviceId(),
                            "text", m.text(), "sentAt", m.sentAt(), "serverTimestamp", m.serverTimestamp(),
                            "syncedTo", m.syncedTo()));
                } else if (m.syncedTo() != null) {
                    printLine("you -> " + m.syncedTo() + ": " + m.text());
                } else {
                    printLine(sender(m.senderHandle(), m.sourceAccountId()) + ": " + m.text());
                }
            }
            case UndecryptableMessage u -> {
                if (json()) {
                    printJson(fields("type", "undecryptable", "guid", u.guid(), "from", u.senderHandle(),
                            "sourceDeviceId", u.sourceDeviceId(), "reason", u.reason().name().toLowerCase(Locale.ROOT)));
                }
                warn("could not decrypt a message from " + sender(u.senderHandle(), u.sourceAccountId()) + " device " + u.sourceDeviceId()
                        + " (" + u.detail() + "); ask them to send it again");
            }
            case IdentityChangeNotice change -> {
                if (json()) {
                    printJson(fields("type", "identity-changed", "handle", change.handle(),
                            "accountId", change.accountId(), "deviceId", change.deviceId()));
                }
                warn(IdentityWarnings.describe(change));
            }
        }
    }
}
