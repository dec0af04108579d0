// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.legal;

import java.time.Duration;
import java.time.Instant;
import org.parley.server.config.LookupLogMode;
import org.parley.server.config.LookupMode;
import org.parley.server.config.ServerConfig;
import org.parley.server.lookuplog.LookupLog;

/**
 * The plain-language cover statement of a package: what was returned, what does not exist on this
 * server and why (with the retentions actually configured), and what a lookup does not prove.
 */
final class CoverStatement {
    private CoverStatement() {}

    static String write(LegalRequest request, Disclosure d, ServerConfig config, Instant producedAt, String producedBy) {
        StringBuilder s = new StringBuilder();
        s.append("PARLEY DISCLOSURE - COVER STATEMENT\n\n");
        s.append("Request ").append(request.id()).append(": ").append(request.type().wire())
                .append(" from ").append(request.authority()).append(", reference ").append(request.reference())
                .append(", received ").append(request.received()).append(".\n");
        s.append("Target handles: ").append(String.join(", ", request.scope().handles())).append(".\n");
        s.append("Date range (UTC, inclusive): ").append(request.scope().from()).append(" to ")
                .append(request.scope().until()).append(".\n");
        s.append("Produced ").append(producedAt).append(" by operator '").append(producedBy).append("'.\n");
        if (request.type() == RequestType.PEN_REGISTER) {
            s.append("This server has no means of live interception: for this pen-register request it produces only\n"
                    + "the records it already held at the time of production, not future activity.\n");
        }
        s.append('\n');

        s.append("CATEGORIES REQUESTED AND RETURNED\n");
        for (LegalCategory c : LegalCategory.values()) {
            if (d.categories().contains(c)) {
                int n = d.count(c);
                long bucketFetches = c == LegalCategory.LOOKUP_LOG_BY_TARGET
                        ? d.lookupsByTarget().stream().filter(e -> e.kind() == LookupLog.Kind.PRIVATE).count() : 0;
                s.append("- ").append(c.wire()).append(": ").append(n == 0 ? "no records exist in scope"
                        : n + " record(s)" + (bucketFetches == 0 ? "" : ", of which " + bucketFetches
                                + " private lookup(s) (kind private: a bucket fetch, which does not name the handle"
                                + " looked up)") + ", in " + c.wire() + ".json and " + c.wire() + ".csv").append('\n');
            }
        }
        s.append(d.hasData() ? "Outcome: produced with data.\n\n" : "Outcome: produced without data: no records in scope exist on this server.\n\n");

        s.append("WHAT DOES NOT EXIST ON THIS SERVER\n");
        s.append("- Message content. Messages are end-to-end encrypted on the users' devices; the server only\n"
                + "  ever holds ciphertext it cannot decrypt, and deletes each message once the recipient device\n"
                + "  acknowledges delivery. Undelivered messages are deleted after ")
                .append(iso(config.messages().ttl())).append(".\n");
        LookupLogMode mode = config.lookupLog().mode();
        if (mode == LookupLogMode.OFF) {
            s.append("- Lookup-log records: this server is configured not to record capability lookups at all.\n");
        } else {
            s.append("- Lookup-log records older than ").append(iso(config.lookupLog().retention()))
                    .append(": deleted by the purge job, which runs every ").append(iso(config.lookupLog().purgeInterval()))
                    .append(", unless a preservation hold covered them.\n");
            if (mode == LookupLogMode.NO_IP) {
                s.append("- Client IP addresses of lookups: not recorded (lookup-log mode no-ip).\n");
            } else if (mode == LookupLogMode.TRUNCATED_IP) {
                s.append("- Full client IP addresses of lookups: only the network (/24 for IPv4, /48 for IPv6) is recorded.\n");
            }
        }
        if (d.categories().contains(LegalCategory.LOOKUP_LOG_OF_TARGET)) {
            s.append(privateLookupsOf(LookupMode.of(config)));
        }
        s.append("- Activity times finer than a day: the server records only the day each device was last seen.\n");
        s.append("- Contact lists, message metadata beyond the delivery queue, and location: not collected.\n\n");

        s.append("HOW TO READ A LOOKUP\n");
        s.append("A lookup-log entry records that a client asked whether a handle can be reached on Parley.\n"
                + "Clients look up handles automatically (for example when a contact is added or a message is\n"
                + "composed). A lookup does NOT show that any communication took place, nor that the two\n"
                + "parties know each other.\n"
                + "An entry of kind private records a private lookup: the client fetched one bucket of handles\n"
                + "(named by OPRF key id, prefix length and prefix) that holds at least lookup.private.min-bucket\n"
                + "registered handles. It shows that the client looked up some handle, not which one.\n\n");

        s.append("INTEGRITY\n");
        s.append("manifest.json lists the SHA-256 of every other file; manifest.sig is the Ed25519 signature of\n"
                + "manifest.json by this server's legal signing key (legal-signing-key.pem, also published at\n"
                + "/.well-known/parley/legal-signing-key). See docs/legal.md for verification steps.\n");
        return s.toString();
    }

    /**
     * Why lookup-log-of-target holds plain lookups only. A request for "who looked up X" must not read
     * an empty or short answer as "nobody did" when the server answers lookups it cannot attribute to X.
     */
    static String privateLookupsOf(LookupMode mode) {
        String what = "- Private lookups of the target handles: a private lookup never sends the handle to this\n"
                + "  server (the client fetches a bucket of many handles and finds its answer itself), so private\n"
                + "  lookups of the target handles are not recorded as such and cannot be produced;\n"
                + "  lookup-log-of-target holds plain lookups only.";
        return switch (mode) {
            case PLAIN -> what + " This server is configured (lookup.mode plain) to answer plain lookups\n"
                    + "  only; private lookups answered under an earlier mode are equally unattributable.\n";
            case PRIVATE -> what + " This server is configured (lookup.mode private) to refuse plain\n"
                    + "  lookups, so lookups of the target made since then exist only as unattributable bucket fetches.\n";
            case BOTH -> what + " This server answers both kinds (lookup.mode both).\n";
        };
    }

    private static String iso(Duration d) {
        return d.toSeconds() % 86_400 == 0 && d.toNanosPart() == 0 ? "P" + d.toDays() + "D (" + d.toDays() + " days)"
                : d.toString();
    }
}
