// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import org.parley.protocol.AuditVerificationReport;
import org.parley.server.HostTools;
import org.parley.server.audit.AuditEntry;
import org.parley.server.audit.AuditTrail;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code parley admin audit verify|list}: the operator audit log, read on the server host from the
 * server's database. {@code verify} exits 0 when the chain is intact and 4 when it is broken.
 */
@Command(name = "audit", mixinStandardHelpOptions = true,
        description = "Read and verify the operator audit log (run on the server host).",
        subcommands = {AdminAuditCommand.Verify.class, AdminAuditCommand.ListEntries.class})
final class AdminAuditCommand {
    static final int CHAIN_BROKEN = 4;

    @Command(name = "verify", mixinStandardHelpOptions = true,
            description = "Check the hash chain; report the first entry that was edited, deleted or reordered. Exit 4 if broken.")
    static final class Verify extends AdminTokenCommand.HostCommand {
        @Override
        int run(HostTools tools) {
            AuditVerificationReport report = tools.audit().trail().verify();
            PrintWriter out = out();
            if (json) {
                JsonOutput.print(out, report);
            } else if (report.intact()) {
                out.println("audit log intact: " + report.entriesChecked() + (report.entriesChecked() == 1 ? " entry" : " entries") + ", seq " + (report.baseSeq() + 1)
                        + ".." + report.headSeq() + (report.baseSeq() > 0 ? " (older entries purged; base hash "
                        + report.baseHash() + ")" : "") + ", head hash " + report.headHash());
            } else {
                out.println("audit log BROKEN at seq " + report.brokenAtSeq() + ": " + report.problem());
            }
            out.flush();
            return report.intact() ? 0 : CHAIN_BROKEN;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Show audit entries, oldest first.")
    static final class ListEntries extends AdminTokenCommand.HostCommand {
        @Option(names = "--after", paramLabel = "SEQ", defaultValue = "0", description = "Only entries after this seq.")
        long after;

        @Option(names = "--limit", paramLabel = "N", defaultValue = "100", description = "At most N entries (1-1000).")
        int limit;

        @Override
        int run(HostTools tools) {
            if (limit < 1 || limit > AuditTrail.MAX_PAGE) {
                return fail("--limit must be in 1.." + AuditTrail.MAX_PAGE + "; was " + limit);
            }
            List<AuditEntry> entries = tools.audit().trail().page(after, limit);
            PrintWriter out = out();
            if (json) {
                JsonOutput.print(out, entries.stream().map(e -> JsonOutput.fields("seq", e.seq(),
                        "time", e.time().toString(), "actor", e.actor(), "action", e.action(), "details", e.details(),
                        "prevHash", e.prevHash(), "hash", e.hash())).toList());
                return 0;
            }
            List<String[]> rows = new ArrayList<>();
            rows.add(new String[] {"SEQ", "TIME", "ACTOR", "ACTION", "DETAILS"});
            for (AuditEntry e : entries) {
                rows.add(new String[] {Long.toString(e.seq()), e.time().toString(), e.actor(), e.action(),
                    e.details().toString()});
            }
            Tables.print(out, rows);
            out.flush();
            return 0;
        }
    }
}
