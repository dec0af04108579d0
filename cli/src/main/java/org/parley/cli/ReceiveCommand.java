// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.cli;

import java.nio.file.Path;
import org.parley.client.crypto.AttachmentPointer;
import org.parley.client.error.ParleyException;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.parley.client.DeviceNoticeEvent;
import org.parley.client.GroupMessage;
import org.parley.client.GroupNotice;
import org.parley.client.IdentityChangeNotice;
import org.parley.client.ReceiptNotice;
import org.parley.client.TypingNotice;
import org.parley.client.ParleyClient;
import org.parley.client.ReceiveEvent;
import org.parley.client.ReceiveObserver;
import org.parley.client.ReceiveOptions;
import org.parley.client.ReceiveSummary;
import org.parley.client.ReceivedMessage;
import org.parley.client.SessionResetNotice;
import org.parley.client.UndecryptableMessage;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code parley receive [--follow] [--timeout SECONDS]}: prints {@code HANDLE: TEXT} per message. Every
 * message is in the home's history before it is acked and is marked shown only after it was printed, so
 * a receive that dies at any point shows it on the next run, once.
 */
@Command(name = "receive", mixinStandardHelpOptions = true, exitCodeOnInvalidInput = 1,
        description = {"Receive the messages waiting on the server, print them, and return once the queue is"
                + " empty. With --follow, keep receiving new messages (reconnecting when the connection drops)."})
public final class ReceiveCommand extends UserCommand {
    @Option(names = {"-f", "--follow"}, description = "Keep waiting for new messages after the queue is drained.")
    boolean follow;

    @Option(names = {"-t", "--timeout"}, paramLabel = "SECONDS",
            description = "Give up after SECONDS without progress (a message, or the end of the queue), time spent"
                    + " reconnecting included. Default: 30 without --follow, no limit with --follow.")
    Double timeoutSeconds;

    @Option(names = "--max-messages", paramLabel = "N", description = "Stop after N messages.")
    Integer maxMessages;

    @Option(names = "--json-lines", description = "Print each event as one JSON object on its own line, as it"
            + " arrives (--json prints one array when receive ends).")
    boolean jsonLines;

    @Option(names = "--attachments", paramLabel = "DIR", description = "Save received attachments into DIR (after"
            + " checking each one's digest and MAC). Default: the home's attachments folder.")
    Path attachmentDir;

    @Mixin
    ServerOverride servers;

    @Override
    boolean json() {
        return super.json() || jsonLines;
    }

    /** The client of this run, for downloading attachments while events are shown. */
    private ParleyClient client;

    @Override
    int run(ParleyClient client) {
        this.client = client;
        if (options.json && jsonLines) {
            return fail(Failures.LOCAL_ERROR, "usage", "--json and --json-lines exclude each other: --json prints one"
                    + " array at the end, --json-lines one object per line as messages arrive");
        }
        ReceiveOptions receive;
        try {
            receive = receiveOptions();
        } catch (IllegalArgumentException e) {
            return fail(Failures.LOCAL_ERROR, "usage", e.getMessage());
        }
        servers.applyTo(client);
        ReceiveSummary summary;
        if (options.json && !jsonLines) {
            summary = receiveAsArray(client, receive);
        } else {
            summary = client.receive(receive, this::print);
        }
        if (summary.refillError() != null) {
            warn("could not top up prekeys: " + summary.refillError());
        }
        return exitCode(summary, receive);
    }

    private ReceiveOptions receiveOptions() {
        ReceiveOptions receive = follow ? ReceiveOptions.follow() : ReceiveOptions.drain();
        if (timeoutSeconds != null) {
            if (!(timeoutSeconds > 0) || timeoutSeconds.isInfinite()) {
                throw new IllegalArgumentException("--timeout must be a positive number of seconds; was " + timeoutSeconds
                        + (follow ? " (leave it out to wait without limit)" : " (plain receive already returns once the queue is empty)"));
            }
            receive = receive.withTimeout(Duration.ofMillis(Math.round(timeoutSeconds * 1000)));
        }
        if (maxMessages != null) {
            if (maxMessages < 1) {
                throw new IllegalArgumentException("--max-messages must be at least 1; was " + maxMessages);
            }
            receive = receive.withMaxMessages(maxMessages);
        }
        ReceiveOptions bounded = receive;
        return receive.withObserver(new ReceiveObserver() {
            @Override
            public void reconnecting(String reason) {
                warn(reason + "; reconnecting" + (bounded.timeout() == null ? "" : " for up to " + seconds(bounded)));
            }
        });
    }

    /**
     * {@code --json}: store and ack everything first, then print all new entries as one array and only then
     * mark them shown, so a receive killed before the array is out prints them again next time.
     */
    private ReceiveSummary receiveAsArray(ParleyClient client, ReceiveOptions receive) {
        List<Map<String, Object>> items = new ArrayList<>();
        ReceiveSummary summary = client.receive(receive.storeOnly(), event -> items.add(describe(event)));
        client.showUnshown(events -> {
            events.forEach(event -> items.add(describe(event)));
            printJson(items);
        });
        return summary;
    }

    private int exitCode(ReceiveSummary summary, ReceiveOptions receive) {
        return switch (summary.stopReason()) {
            case DRAINED, MAX_MESSAGES -> OK;
            // With --follow the timeout is how the user asked it to end; without, the queue never finished.
            case TIMEOUT -> follow ? OK : fail(Failures.SERVER_ERROR, "timeout", "the server did not finish sending"
                    + " the queue within " + seconds(receive) + "; run receive again (messages shown so far are kept)");
            case UNREACHABLE -> fail(Failures.SERVER_ERROR, "unreachable", "could not reach the server for "
                    + seconds(receive) + ": " + summary.detail());
            // 4409 comes with "connected elsewhere" or "registered again elsewhere"; the server's words say which.
            case CONNECTED_ELSEWHERE -> fail(Failures.SERVER_ERROR, "connected_elsewhere",
                    "stopped receiving: " + (summary.detail() == null ? "connected elsewhere" : summary.detail()));
            case SERVER_CLOSED -> fail(Failures.SERVER_ERROR, "closed",
                    "the server closed the connection: " + summary.detail());
        };
    }

    private static String seconds(ReceiveOptions receive) {
        long millis = receive.timeout().toMillis();
        return (millis % 1000 == 0 ? Long.toString(millis / 1000) : Double.toString(millis / 1000.0)) + " s";
    }

    /** The server sends a null handle when the sending account no longer exists. */
    private static String sender(String handle, String accountId) {
        return handle != null ? handle : "(deleted account " + accountId + ")";
    }

    private void print(ReceiveEvent event) {
        Map<String, Object> described = describe(event);
        if (json()) {
            printJson(described);
        } else if (event instanceof ReceivedMessage m) {
            // A sealed message's sender was not told by the server: it was read from the sender certificate
            // and verified against the trust root pinned at registration; the prefix says so.
            String prefix = m.sealed() ? "[sealed, verified] " : "";
            printLine(prefix + (m.syncedTo() != null
                    ? "you -> " + m.syncedTo() + ": " + m.text()
                    : (m.sealed() && m.senderHandle() == null ? "account " + m.sourceAccountId()
                            : sender(m.senderHandle(), m.sourceAccountId())) + ": " + m.text()));
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> saved = (List<Map<String, Object>>) described.get("attachments");
            for (Map<String, Object> a : saved == null ? List.<Map<String, Object>>of() : saved) {
                if (a.get("path") != null) {
                    printLine("  attachment saved: " + a.get("path") + " (" + a.get("size") + " bytes, digest verified)");
                }
            }
        } else if (event instanceof DeviceNoticeEvent notice && notice.change() != DeviceNoticeEvent.Change.UNANNOUNCED) {
            printLine("[device " + notice.deviceId() + (notice.added() ? " was linked to" : " was removed from")
                    + " your account by your device " + notice.byDeviceId() + "]");
        } else if (event instanceof GroupMessage g) {
            printLine((g.sealed() ? "[sealed, verified] " : "") + "[" + g.groupName() + "] "
                    + (g.fromMe() ? "you" : sender(g.senderHandle(), g.sourceAccountId())) + ": " + g.text());
        } else if (event instanceof GroupNotice g) {
            printLine("[" + g.groupName() + "] " + sender(g.byHandle(), g.byAccountId()) + " " + g.change());
        } else if (event instanceof ReceiptNotice r) {
            for (int i = 0; i < r.sentAts().size(); i++) {
                String text = r.texts().get(i);
                printLine(sender(r.handle(), r.accountId()) + ": " + r.kind() + " " + (text != null
                        ? "\"" + text + "\"" : "your message of " + java.time.Instant.ofEpochMilli(r.sentAts().get(i))));
            }
        } else if (event instanceof TypingNotice t) {
            printLine(sender(t.handle(), t.accountId()) + (t.started() ? " is typing" : " stopped typing"));
        }
    }

    /**
     * Downloads the message's attachments into the folder; each one that cannot be fetched or fails its
     * check is reported (and not saved) without stopping the receive.
     */
    private List<Map<String, Object>> saveAttachments(ReceivedMessage m) {
        List<Map<String, Object>> out = new ArrayList<>();
        Path folder = attachmentDir != null ? attachmentDir : options.home.resolve("attachments");
        for (AttachmentPointer a : m.attachments()) {
            try {
                Path saved = client.download(a, folder);
                out.add(fields("fileName", a.fileName(), "contentType", a.contentType(), "size", a.size(),
                        "path", saved.toAbsolutePath().toString(), "digestVerified", true));
            } catch (ParleyException e) {
                warn("attachment " + (a.fileName() == null ? a.id() : a.fileName()) + " from "
                        + sender(m.senderHandle(), m.sourceAccountId()) + " was not saved: " + e.getMessage());
                out.add(fields("fileName", a.fileName(), "contentType", a.contentType(), "size", a.size(),
                        "error", "attachment_rejected", "message", e.getMessage()));
            }
        }
        return out;
    }

    /** The JSON object of an event; undecryptable messages and identity changes also warn on stderr. */
    private Map<String, Object> describe(ReceiveEvent event) {
        return switch (event) {
            case ReceivedMessage m -> {
                Map<String, Object> message = fields("type", "message", "guid", m.guid(), "from", m.senderHandle(),
                        "sourceAccountId", m.sourceAccountId(), "sourceDeviceId", m.sourceDeviceId(),
                        "text", m.text(), "sentAt", m.sentAt(), "serverTimestamp", m.serverTimestamp(),
                        "syncedTo", m.syncedTo(), "sealed", m.sealed());
                if (!m.attachments().isEmpty()) {
                    message.put("attachments", saveAttachments(m));
                }
                yield message;
            }
            case UndecryptableMessage u -> {
                warn("could not decrypt a message from " + sender(u.senderHandle(), u.sourceAccountId()) + " device "
                        + u.sourceDeviceId() + " (" + u.detail() + "); ask them to send it again");
                yield fields("type", "undecryptable", "guid", u.guid(), "from", u.senderHandle(),
                        "sourceDeviceId", u.sourceDeviceId(), "reason", u.reason().name().toLowerCase(Locale.ROOT));
            }
            case DeviceNoticeEvent notice when notice.change() == DeviceNoticeEvent.Change.UNANNOUNCED -> {
                warn("a message came from your device " + notice.deviceId() + ", which none of your devices announced:"
                        + " if you did not link it, remove it (parley device remove " + notice.deviceId() + ")");
                yield fields("type", "device-unannounced", "deviceId", notice.deviceId());
            }
            case DeviceNoticeEvent notice -> {
                yield fields("type", notice.added() ? "device-added" : "device-removed", "deviceId", notice.deviceId(),
                        "registrationId", notice.registrationId(), "byDeviceId", notice.byDeviceId(),
                        "sentAt", notice.sentAt().toEpochMilli());
            }
            case GroupMessage g -> fields("type", "group-message", "guid", g.guid(), "group", g.groupId(),
                    "groupName", g.groupName(), "from", g.senderHandle(), "sourceAccountId", g.sourceAccountId(),
                    "sourceDeviceId", g.sourceDeviceId(), "text", g.text(), "sentAt", g.sentAt(),
                    "serverTimestamp", g.serverTimestamp(), "fromMe", g.fromMe(), "sealed", g.sealed());
            case GroupNotice g -> fields("type", "group-change", "group", g.groupId(), "groupName", g.groupName(),
                    "by", g.byHandle(), "byAccountId", g.byAccountId(), "change", g.change());
            case ReceiptNotice r -> fields("type", r.kind(), "from", r.handle(), "accountId", r.accountId(),
                    "sentAt", r.sentAts());
            case TypingNotice t -> fields("type", "typing", "from", t.handle(), "accountId", t.accountId(),
                    "started", t.started());
            case IdentityChangeNotice change -> {
                warn(IdentityWarnings.describe(change));
                yield fields("type", "identity-changed", "handle", change.handle(),
                        "accountId", change.accountId(), "deviceId", change.deviceId());
            }
            case SessionResetNotice reset -> {
                String who = sender(reset.handle(), reset.accountId()) + " device " + reset.deviceId();
                warn(reset.byUs()
                        ? "the session with " + who + " was reset after a message could not be decrypted;"
                                + " they were asked to send it again"
                        : who + " could not decrypt a message from this device and reset the session;"
                                + " something you sent recently may not have arrived, send it again");
                yield fields("type", "session-reset", "by", reset.byUs() ? "us" : "them", "handle", reset.handle(),
                        "accountId", reset.accountId(), "deviceId", reset.deviceId());
            }
        };
    }
}
