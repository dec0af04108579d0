// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.cli;

import java.util.List;
import org.parley.client.ParleyClient;
import org.parley.protocol.UserNotice;
import picocli.CommandLine.Command;

/** {@code parley notices}: the legal disclosures about this account the server may now tell you about. */
@Command(name = "notices", mixinStandardHelpOptions = true, exitCodeOnInvalidInput = 1,
        description = "Show legal disclosures about your account whose non-disclosure period is over.")
public final class NoticesCommand extends UserCommand {
    @Override
    int run(ParleyClient client) {
        List<UserNotice> notices = client.notices();
        if (json()) {
            printJson(notices.stream().map(n -> fields("type", n.type(), "date", n.date(), "categories", n.categories()))
                    .toList());
            return OK;
        }
        for (UserNotice n : notices) {
            printLine(n.date() + " " + n.type() + ": " + String.join(", ", n.categories()));
        }
        if (notices.isEmpty()) {
            printLine("no disclosure notices");
        }
        return OK;
    }
}
