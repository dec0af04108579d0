// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.keys;

import java.util.List;
import org.parley.server.transparency.DataCategory;
import org.parley.server.transparency.DataField;
import org.parley.server.transparency.PolicyContributor;

/** The keys feature's part of the published policy: public prekeys only. */
final class KeysPolicy implements PolicyContributor {
    @Override
    public List<DataCategory> categories() {
        return List.of(DataCategory.of("prekeys", "Public keys other devices use to start an encrypted session"
                        + " with a device. Private keys never leave the device.",
                List.of(new DataField("signed prekeys", "one Curve25519 and one Kyber-1024 last-resort public key per"
                                + " device, with their signatures and key ids"),
                        new DataField("one-time prekeys", "Curve25519 and Kyber-1024 public keys with key ids")),
                "one-time prekeys until another device fetches them (each is handed out once), at most 200 of each"
                        + " kind per device; signed prekeys until replaced (clients replace them every 2 days; the"
                        + " previous one is not kept); all of a device's keys go with the device or the account",
                List.of("any registered device, when it starts a session with the owner's devices",
                        "the account owner: counts per device, through GET /v1/keys and GET /v1/me/data",
                        "whoever operates the server host (the database file)"),
                "One requesting device may fetch one account's keys 6 times per 10 minutes. To count, each node"
                        + " keeps the times of the fetches per (requesting device, target account) pair in memory"
                        + " (in Redis with several nodes) for 10 minutes."));
    }
}
