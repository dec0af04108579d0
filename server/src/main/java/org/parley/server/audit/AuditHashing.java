// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.parley.protocol.Json;

/**
 * The canonical encoding and hash of an entry. The encoding is the JSON array
 * {@code [seq, timeMs, "actor", "action", {details sorted by key}]} as UTF-8: strings are JSON-escaped,
 * so no field can spill into the next, and the details text hashed is exactly the text stored.
 */
final class AuditHashing {
    static final String GENESIS = "0".repeat(64);
    private static final HexFormat HEX = HexFormat.of();

    private AuditHashing() {}

    /** Canonical JSON of {@code details}: keys sorted, null values dropped. */
    static String canonicalDetails(Map<String, String> details) {
        SortedMap<String, String> sorted = new TreeMap<>();
        if (details != null) {
            details.forEach((k, v) -> {
                if (k == null || k.isBlank()) {
                    throw new IllegalArgumentException("audit detail keys must not be blank");
                }
                if (v != null) {
                    sorted.put(k, v);
                }
            });
        }
        return json(sorted);
    }

    static SortedMap<String, String> parseDetails(String canonical) {
        try {
            return new TreeMap<>(Json.lenient().readValue(canonical, new TypeReference<Map<String, String>>() {}));
        } catch (JsonProcessingException e) {
            // A row edited into non-JSON: show it as it is; the hash check reports the tampering.
            return new TreeMap<>(Map.of("unreadable", canonical));
        }
    }

    static String hash(String prevHash, long seq, long timeMs, String actor, String action, String detailsJson) {
        String canonical = "[" + seq + "," + timeMs + "," + json(actor) + "," + json(action) + "," + detailsJson + "]";
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(prevHash.getBytes(StandardCharsets.US_ASCII));
            sha.update(canonical.getBytes(StandardCharsets.UTF_8));
            return HEX.formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
    }

    private static String json(Object value) {
        try {
            return Json.strict().writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode an audit field", e);
        }
    }
}
