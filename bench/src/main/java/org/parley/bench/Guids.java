// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.bench;

/**
 * Finds the first {@code "guid":"…"} value in a JSON text without parsing it: the load generator reads a
 * send answer and an envelope frame per message, and a full Jackson parse of both would cost the server
 * under test a noticeable share of the two cores they share. The server writes compact JSON (Jackson, no
 * spaces), which is what this relies on; {@code "guids":[…]} does not match.
 */
final class Guids {
    private static final String KEY = "\"guid\":\"";

    private Guids() {}

    /** The first guid in {@code json}, or null when there is none. */
    static String find(CharSequence json) {
        String text = json.toString();
        int start = text.indexOf(KEY);
        if (start < 0) {
            return null;
        }
        start += KEY.length();
        int end = text.indexOf('"', start);
        return end < 0 ? null : text.substring(start, end);
    }

    /** The ack frame for {@code guid}. Guids are UUIDs, so nothing needs escaping. */
    static String ack(String guid) {
        return "{\"type\":\"ack\",\"guid\":\"" + guid + "\"}";
    }
}
