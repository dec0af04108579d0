// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.messages;

import java.util.List;
import java.util.Map;
import org.parley.server.config.ServerConfig;
import org.parley.server.transparency.DataCategory;
import org.parley.server.transparency.DataField;
import org.parley.server.transparency.PolicyContributor;
import org.parley.server.transparency.Retention;

/** The messages feature's part of the published policy: queued envelopes, ciphertext only. */
final class MessagesPolicy implements PolicyContributor {
    private final ServerConfig config;

    MessagesPolicy(ServerConfig config) {
        this.config = config;
    }

    @Override
    public List<DataCategory> categories() {
        return List.of(DataCategory.of("queued-envelopes", "Encrypted messages waiting for a device to fetch them."
                        + " The server cannot read their content.",
                List.of(new DataField("destination", "account id and device id of the recipient device"),
                        new DataField("source", "account id and device id of the sending device;"
                                + " absent for sealed-sender envelopes, whose sender only the recipient learns"),
                        new DataField("guid", "random message identifier"),
                        new DataField("type", "envelope type (prekey, normal, group or sealed-sender message; receipts and typing"
                                + " indicators are normal messages the server cannot tell apart)"),
                        new DataField("content", "end-to-end encrypted ciphertext"),
                        new DataField("client_timestamp, server_timestamp", "when the sender says it sent, when the server queued it"),
                        new DataField("expires_at", "when it is deleted if never fetched")),
                "until the recipient device acknowledges it, at most " + Retention.iso(config.messages().ttl())
                        + " (messages.ttl)",
                List.of("the recipient device (it fetches and acknowledges it)",
                        "the account owner: the number queued, through GET /v1/me/data",
                        "whoever operates the server host (the database file; ciphertext and routing data only)"),
                "No copy is kept after acknowledgement."));
    }

    @Override
    public Map<String, String> settings() {
        return Map.of("messages.ttl", Retention.iso(config.messages().ttl()));
    }
}
