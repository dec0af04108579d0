// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.bench;

import java.util.Locale;
import org.parley.protocol.BinaryFrames;

/**
 * What the load generator's delivery WebSockets negotiate (docs/protocol.md): JSON text frames,
 * binary frames ({@value BinaryFrames#QUERY}), or binary frames plus batch frames
 * ({@value BinaryFrames#BATCH_QUERY}), where acks and sends ready at once go out as one message.
 */
enum FrameFormat {
    JSON(null), BINARY(BinaryFrames.QUERY), BATCH(BinaryFrames.BATCH_QUERY);

    private final String query;

    FrameFormat(String query) {
        this.query = query;
    }

    /** The upgrade's query string, with its "?", or "" for JSON. */
    String query() {
        return query == null ? "" : "?" + query;
    }

    boolean binary() {
        return this != JSON;
    }

    String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The value of {@code --frames}; null when there is none of that name. */
    static FrameFormat of(String value) {
        for (FrameFormat f : values()) {
            if (f.wire().equals(value)) {
                return f;
            }
        }
        return null;
    }
}
