// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.legal;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.parley.server.config.ServerConfig;
import org.parley.server.transparency.DataCategory;
import org.parley.server.transparency.DataField;
import org.parley.server.transparency.PolicyContributor;
import org.parley.server.transparency.Retention;
import org.parley.server.transparency.UserNoticeStatement;

/**
 * The legal register's part of the published policy, from {@code legal.*}: what the register
 * and its holds and packages keep, which request type may obtain which category, and whether
 * users are told about disclosures.
 */
final class LegalPolicy implements PolicyContributor {
    private final ServerConfig.Legal config;
    private final LegalMatrix matrix;

    LegalPolicy(ServerConfig config, LegalMatrix matrix) {
        this.config = config.legal();
        this.matrix = matrix;
    }

    @Override
    public List<DataCategory> categories() {
        String holds = Retention.iso(config.holdDuration()) + " (legal.hold-duration), extendable once by "
                + Retention.iso(config.holdExtension()) + " (legal.hold-extension)";
        return List.of(
                DataCategory.of("legal-register", "Each lawful request this server received and what was done with it.",
                        List.of(new DataField("request", "type, issuing authority, reference, date received, SHA-256 of"
                                        + " the documents"),
                                new DataField("scope", "target handles, date range, requested categories, non-disclosure date"),
                                new DataField("decisions", "who registered, approved or rejected (with the reason) and"
                                        + " produced it, and when; the outcome"),
                                new DataField("disclosed_accounts", "the account ids a production covered, for user notices")),
                        "indefinitely: it is the record of what was disclosed and why",
                        List.of("operators with role admin or legal-reviewer, through /v1/admin/legal; every action is audited",
                                "affected users, after the non-disclosure date: type, date and categories (GET /v1/me/notices)",
                                "the public: counts per half-year (GET /v1/transparency/report)"),
                        "Categories each request type may obtain (legal.categories): " + matrixText() + ". A preservation"
                                + " request is never produced. Message content does not exist on the server and"
                                + " cannot be disclosed. Approval needs a legal reviewer other than the operator who"
                                + " registered the request."),
                DataCategory.of("preservation-holds", "Holds that keep a request's in-scope records from the purge.",
                        List.of(new DataField("hold", "request, handle and its account id, date range, categories,"
                                + " placed/expiry/release times")),
                        "records under an active hold are kept past their retention for " + holds
                                + " or until released; the hold rows stay with the register",
                        List.of("operators with role admin or legal-reviewer"),
                        "While a hold is active the lookup-log purge keeps the entries it covers."),
                DataCategory.of("disclosure-packages", "The signed zip produced for an approved request.",
                        List.of(new DataField("package", "the in-scope records per category (JSON and CSV), a cover"
                                + " statement, the manifest and its Ed25519 signature")),
                        "until the operator deletes it after delivery",
                        List.of("operators with role admin or legal-reviewer (download is audited)", "the requesting authority"),
                        ""));
    }

    @Override
    public List<UserNoticeStatement> userNotices() {
        return List.of(config.giveNotices()
                ? new UserNoticeStatement("give", "legal.user-notices", "Once a request's non-disclosure date has"
                        + " passed (or at once if it has none), each account whose data was disclosed can see that it"
                        + " happened: the request type, the date and the categories (GET /v1/me/notices, parley notices,"
                        + " GET /v1/me/data).")
                : new UserNoticeStatement("withhold", "legal.user-notices", "This server does not tell users about"
                        + " disclosures of their data, even after a non-disclosure date has passed."));
    }

    /**
     * The authority is a reader of each category the matrix lets some request type obtain: accounts,
     * handles and devices through {@code subscriber}, the lookup log through the two lookup-log
     * categories. A category no type may obtain gains no reader.
     */
    @Override
    public Map<String, List<String>> extraReaders() {
        java.util.Set<LegalCategory> obtainable = java.util.EnumSet.noneOf(LegalCategory.class);
        for (RequestType type : RequestType.values()) {
            if (type.produces()) {
                obtainable.addAll(matrix.allowed(type));
            }
        }
        Map<String, List<String>> extra = new LinkedHashMap<>();
        if (obtainable.contains(LegalCategory.SUBSCRIBER)) {
            String reader = reader("subscriber");
            extra.put("accounts", List.of(reader));
            extra.put("handles", List.of(reader));
            extra.put("devices", List.of(reader + "; creation and last-seen days only"));
        }
        List<String> lookups = new java.util.ArrayList<>();
        if (obtainable.contains(LegalCategory.LOOKUP_LOG_BY_TARGET)) {
            lookups.add(reader("lookup-log-by-target") + ": the lookups the target's account made");
        }
        if (obtainable.contains(LegalCategory.LOOKUP_LOG_OF_TARGET)) {
            lookups.add(reader("lookup-log-of-target") + ": the lookups of the target's handles by others");
        }
        if (!lookups.isEmpty()) {
            extra.put("lookup-log", lookups);
        }
        if (obtainable.contains(LegalCategory.LOOKUP_LOG_BY_TARGET)) {
            // Lookups BY a target include its bucket fetches; lookups OF a target cannot (no handle is recorded).
            extra.put("private-lookup-log", List.of(reader("lookup-log-by-target")
                    + ": the bucket fetches the target's account made"));
        }
        return extra;
    }

    private static String reader(String category) {
        return "a requesting authority, under a legal request approved by a second legal reviewer and allowed "
                + category + " by legal.categories, in a signed disclosure package";
    }

    @Override
    public Map<String, String> settings() {
        Map<String, String> s = new LinkedHashMap<>();
        s.put("legal.user-notices", config.giveNotices() ? "give" : "withhold");
        s.put("legal.hold-duration", Retention.iso(config.holdDuration()));
        s.put("legal.hold-extension", Retention.iso(config.holdExtension()));
        s.put("legal.report-band", Integer.toString(config.reportBand()));
        for (RequestType t : RequestType.values()) {
            s.put("legal.categories." + t.wire(), categories(t));
        }
        return s;
    }

    private String matrixText() {
        return java.util.Arrays.stream(RequestType.values()).map(t -> t.wire() + ": " + categories(t))
                .collect(Collectors.joining("; "));
    }

    private String categories(RequestType t) {
        var allowed = matrix.allowed(t);
        return allowed.isEmpty() ? "none" : allowed.stream().sorted().map(LegalCategory::wire).collect(Collectors.joining(", "));
    }
}
