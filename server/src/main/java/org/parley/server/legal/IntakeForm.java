// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.legal;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import org.parley.protocol.Handles;
import org.parley.protocol.InvalidHandleException;
import org.parley.protocol.LegalIntakeRequest;
import org.parley.server.errors.InvalidRequest;

/**
 * A validated intake: every field of {@link LegalIntakeRequest} parsed, normalised and bounded.
 * Anything malformed is a 400 naming the field; whether the type may obtain the categories is a
 * separate question ({@link LegalMatrix}), answered after this.
 */
record IntakeForm(RequestType type, String authority, String reference, LocalDate received, Scope scope,
                  LocalDate nonDisclosureUntil, List<String> documentSha256) {
    static final int MAX_HANDLES = 100;
    static final int MAX_DOCUMENTS = 50;
    static final int MAX_TEXT = 500;
    private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");

    static IntakeForm parse(LegalIntakeRequest body) {
        RequestType type;
        try {
            type = RequestType.fromWire(required(body.type(), "type"));
        } catch (IllegalArgumentException e) {
            throw new InvalidRequest("type: " + e.getMessage());
        }
        String authority = text(body.authority(), "authority");
        String reference = text(body.reference(), "reference");
        LocalDate received = date(required(body.received(), "received"), "received");
        List<String> handles = handles(body.handles());
        LocalDate from = date(required(body.from(), "from"), "from");
        LocalDate until = date(required(body.until(), "until"), "until");
        if (until.isBefore(from)) {
            throw new InvalidRequest("until (" + until + ") must not be before from (" + from + ")");
        }
        Set<LegalCategory> categories = categories(body.categories());
        LocalDate nonDisclosure = body.nonDisclosureUntil() == null || body.nonDisclosureUntil().isBlank()
                ? null : date(body.nonDisclosureUntil(), "nonDisclosureUntil");
        return new IntakeForm(type, authority, reference, received, new Scope(handles, from, until, categories),
                nonDisclosure, documents(body.documentSha256()));
    }

    private static String required(String value, String field) {
        if (value == null || value.isBlank()) {
            throw new InvalidRequest(field + " is required");
        }
        return value.strip();
    }

    private static String text(String value, String field) {
        String v = required(value, field);
        if (v.length() > MAX_TEXT || v.chars().anyMatch(Character::isISOControl)) {
            throw new InvalidRequest(field + " must be one line of at most " + MAX_TEXT + " characters");
        }
        return v;
    }

    private static LocalDate date(String value, String field) {
        LocalDate date;
        try {
            date = LocalDate.parse(value.strip());
        } catch (DateTimeParseException e) {
            throw new InvalidRequest(field + " must be an ISO date such as 2026-11-27");
        }
        // Bounded so that day arithmetic and epoch millis can never overflow on a typo like +999999999-01-01.
        if (date.getYear() < 1970 || date.getYear() > 9999) {
            throw new InvalidRequest(field + " must be a date between 1970-01-01 and 9999-12-30");
        }
        if (date.getYear() == 9999 && date.getMonthValue() == 12 && date.getDayOfMonth() == 31) {
            throw new InvalidRequest(field + " must be a date between 1970-01-01 and 9999-12-30");
        }
        return date;
    }

    private static List<String> handles(List<String> raw) {
        if (raw == null || raw.isEmpty()) {
            throw new InvalidRequest("handles: name at least one target handle");
        }
        if (raw.size() > MAX_HANDLES) {
            throw new InvalidRequest("handles: at most " + MAX_HANDLES + " per request");
        }
        Set<String> out = new LinkedHashSet<>();
        for (String h : raw) {
            try {
                out.add(Handles.normalize(h));
            } catch (InvalidHandleException e) {
                throw InvalidRequest.handle("handles: " + e.getMessage());
            }
        }
        return List.copyOf(out);
    }

    private static Set<LegalCategory> categories(List<String> raw) {
        if (raw == null || raw.isEmpty()) {
            throw new InvalidRequest("categories: name at least one of " + LegalCategory.names());
        }
        Set<LegalCategory> out = EnumSet.noneOf(LegalCategory.class);
        for (String c : raw) {
            try {
                out.add(LegalCategory.fromWire(c == null ? "" : c.strip()));
            } catch (IllegalArgumentException e) {
                throw new InvalidRequest("categories: " + e.getMessage());
            }
        }
        return out;
    }

    private static List<String> documents(List<String> raw) {
        if (raw == null) {
            return List.of();
        }
        if (raw.size() > MAX_DOCUMENTS) {
            throw new InvalidRequest("documentSha256: at most " + MAX_DOCUMENTS + " documents");
        }
        List<String> out = new ArrayList<>();
        for (String h : raw) {
            String hex = h == null ? "" : h.strip().toLowerCase(Locale.ROOT);
            if (!SHA256_HEX.matcher(hex).matches()) {
                throw new InvalidRequest("documentSha256: each entry must be a SHA-256 as 64 hex digits"
                        + " (e.g. the output of sha256sum)");
            }
            if (!out.contains(hex)) {
                out.add(hex);
            }
        }
        return List.copyOf(out);
    }
}
