// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.sealedsender;

import java.util.List;
import java.util.Map;
import org.parley.server.transparency.DataCategory;
import org.parley.server.transparency.DataField;
import org.parley.server.transparency.PolicyContributor;
import org.parley.server.transparency.Retention;

/** The sealed-sender feature's part of the published policy: access keys stored, senders not. */
final class SealedSenderPolicy implements PolicyContributor {
    private final SealedSenderConfig config;
    private final boolean sharedLimits;

    /** @param sharedLimits whether the rate limits count in Redis across the nodes (redis.uris set) */
    SealedSenderPolicy(SealedSenderConfig config, boolean sharedLimits) {
        this.config = config;
        this.sharedLimits = sharedLimits;
    }

    @Override
    public List<DataCategory> categories() {
        return List.of(DataCategory.of("sealed-sender-access", "The unidentified access key of each account that"
                        + " uploaded one: what a sealed-sender message to the account must present. A sealed message"
                        + " is stored without any sender (see queued-envelopes); sender certificates are issued"
                        + " on request and not stored. Rate limits count sealed sends per recipient account and per"
                        + " client IP address for the current minute only: "
                        + (sharedLimits ? "in Redis, shared by the nodes, under an HMAC of the account id or address"
                                + " (never the id or address itself), expiring after the minute; in each node's memory"
                                + " while Redis does not answer."
                                : "in memory."),
                List.of(new DataField("account_id", "the account the key belongs to"),
                        new DataField("access_key", "16 random bytes the account's client chose and gives its contacts"
                                + " inside end-to-end encrypted messages"),
                        new DataField("unrestricted", "whether the account accepts sealed messages without the key"),
                        new DataField("updated_at", "when the key was last set")),
                "as long as the account exists; replaced when the client uploads a new key",
                List.of("the server, to check sealed sends",
                        "the account's owner: whether a key is set and whether it is unrestricted (never the key),"
                                + " through GET /v1/me/access-key and GET /v1/me/data",
                        "whoever operates the server host (the database; a key lets its holder send sealed"
                                + " messages to the account, never read them)"),
                "Sender certificates are valid " + Retention.iso(config.certificateLifetime())
                        + " (sealed-sender.certificate-lifetime)."));
    }

    @Override
    public Map<String, String> settings() {
        return Map.of("sealed-sender.certificate-lifetime", Retention.iso(config.certificateLifetime()),
                "sealed-sender.max-per-recipient-per-minute", Integer.toString(config.maxPerRecipientPerMinute()),
                "sealed-sender.max-per-ip-per-minute", Integer.toString(config.maxPerIpPerMinute()));
    }
}
