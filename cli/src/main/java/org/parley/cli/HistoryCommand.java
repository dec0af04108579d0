// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.cli;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.parley.client.ParleyClient;
import org.parley.client.store.HistoryEntry;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code parley history [HANDLE]}: the messages this home received and sent, from its local history (no
 * server contact). Reading the history does not count as showing: {@code receive} still prints what it
 * has not printed yet.
 */
@Command(name = "history", mixinStandardHelpOptions = true, exitCodeOnInvalidInput = 1,
        description = "Show the messages received and sent, oldest first: every conversation, or the one with HANDLE.")
public final class HistoryCommand extends UserCommand {
    @Parameters(index = "0", arity = "0..1", paramLabel = "HANDLE", description = "Only the conversation with this handle.")
    String handle;

    @Option(names = {"-n", "--limit"}, paramLabel = "N", defaultValue = "50",
            description = "Show the last N messages (default: ${DEFAULT-VALUE}).")
    int limit;

    @Override
    int run(ParleyClient client) {
        if (limit < 1) {
            return fail(Failures.LOCAL_ERROR, "usage", "--limit must be at least 1; was " + limit);
        }
        List<HistoryEntry> entries = client.history(handle, limit);
        if (json()) {
            printJson(entries.stream().map(HistoryCommand::describe).toList());
        } else {
            entries.forEach(e -> printLine(line(e)));
        }
        return OK;
    }

    /** {@code 2026-12-06T13:00:00Z +12025550143: Hello} or {@code ... you -> +12025550143: Hi}. */
    private static String line(HistoryEntry e) {
        String when = Instant.ofEpochMilli(e.serverTimestamp()).truncatedTo(ChronoUnit.SECONDS).toString();
        String peer = e.peerHandle() != null ? e.peerHandle() : "(deleted account " + e.peerAccountId() + ")";
        String text = e.kind() == HistoryEntry.Kind.UNDECRYPTABLE ? "(could not decrypt: " + e.detail() + ")" : e.body();
        return when + " " + (e.direction() == HistoryEntry.Direction.OUT ? "you -> " + peer : peer) + ": " + text;
    }

    private static Map<String, Object> describe(HistoryEntry e) {
        boolean readable = e.kind() == HistoryEntry.Kind.MESSAGE;
        return fields("id", e.id(),
                "type", readable ? "message" : "undecryptable",
                "direction", e.direction().name().toLowerCase(Locale.ROOT),
                "handle", e.peerHandle(),
                "accountId", e.peerAccountId(),
                "sourceDeviceId", e.sourceDeviceId(),
                "text", e.body(),
                "reason", readable ? null : e.reason().toLowerCase(Locale.ROOT),
                "sentAt", e.sentAt(),
                "serverTimestamp", e.serverTimestamp(),
                "guid", e.guid());
    }
}
