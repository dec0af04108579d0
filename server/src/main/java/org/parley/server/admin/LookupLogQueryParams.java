// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.admin;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.parley.protocol.Handles;
import org.parley.protocol.InvalidHandleException;
import org.parley.server.lookuplog.LookupLog;
import org.parley.server.errors.InvalidRequest;

/**
 * Turns the query string of {@code GET /v1/admin/lookup-log} into a {@link LookupLog.Query}.
 * Unknown or repeated parameters are refused, as unknown JSON fields are: an operator's typo in a
 * filter must not silently widen the result.
 */
final class LookupLogQueryParams {
    private static final Set<String> NAMES = Set.of("handle", "requester", "since", "until", "limit");

    private LookupLogQueryParams() {}

    static LookupLog.Query parse(Map<String, List<String>> query) {
        for (String name : query.keySet()) {
            if (!NAMES.contains(name)) {
                throw new InvalidRequest("unknown query parameter '" + name
                        + "'; use handle, requester, since, until and limit");
            }
        }
        String handle = handle(query, "handle");
        String requester = handle(query, "requester");
        Instant since = time(query, "since");
        Instant until = time(query, "until");
        if (since != null && until != null && since.isAfter(until)) {
            throw new InvalidRequest("since must not be after until");
        }
        String limitText = single(query, "limit");
        int limit = LookupLog.DEFAULT_LIMIT;
        if (limitText != null) {
            try {
                limit = Integer.parseInt(limitText.strip());
            } catch (NumberFormatException e) {
                limit = -1;
            }
            if (limit < 1 || limit > LookupLog.MAX_LIMIT) {
                throw new InvalidRequest("limit must be a whole number in 1.." + LookupLog.MAX_LIMIT);
            }
        }
        return new LookupLog.Query(handle, requester, since, until, limit);
    }

    private static String handle(Map<String, List<String>> query, String name) {
        String value = single(query, name);
        if (value == null) {
            return null;
        }
        try {
            return Handles.normalize(value);
        } catch (InvalidHandleException e) {
            throw InvalidRequest.handle(name + ": " + e.getMessage());
        }
    }

    /** An ISO-8601 instant ({@code 2026-11-27T10:00:00Z}) or a date, meaning its UTC midnight. */
    static Instant time(Map<String, List<String>> query, String name) {
        String value = single(query, name);
        if (value == null) {
            return null;
        }
        String v = value.strip();
        try {
            return Instant.parse(v);
        } catch (DateTimeParseException notAnInstant) {
            try {
                return LocalDate.parse(v).atStartOfDay(ZoneOffset.UTC).toInstant();
            } catch (DateTimeParseException notADate) {
                throw new InvalidRequest(name + " must be an ISO-8601 instant such as 2026-11-27T10:00:00Z"
                        + " or a date such as 2026-11-27 (UTC midnight), was '" + shorten(v) + "'");
            }
        }
    }

    /**
     * The one value of {@code name}, or null. Decoded from the raw text with '+' kept as '+':
     * form decoding would turn {@code ?handle=+12025550143} into a space and reject a valid number.
     */
    private static String single(Map<String, List<String>> query, String name) {
        if (!query.containsKey(name)) {
            return null;
        }
        List<String> raw = query.get(name);
        if (raw.size() != 1) {
            throw new InvalidRequest("give " + name + " at most once");
        }
        try {
            return URLDecoder.decode(raw.getFirst().replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new InvalidRequest(name + " is not correctly percent-encoded");
        }
    }

    private static String shorten(String v) {
        return v.length() <= 40 ? v : v.substring(0, 40) + "...";
    }
}
