// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * Where an SMS is. {@code status}: queued (waiting for the gateway), accepted (the gateway took every
 * part; the server has deleted the text), delivered (every part reached the handset, by delivery
 * receipt), failed ({@code failure} says why). {@code parts} holds each part's state (queued,
 * accepted, delivered, undeliverable, expired, rejected, deleted, unknown). Times are epoch millis.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SmsStatus(String id, String to, String status, String alphabet, List<String> parts, long createdAt,
                        long updatedAt, String failure) {
    public SmsStatus {
        parts = parts == null ? List.of() : List.copyOf(parts);
    }
}
