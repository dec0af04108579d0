// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.sealedsender;

import java.time.Duration;
import org.parley.server.config.ConfigException;
import org.parley.server.config.ConfigTree;

/**
 * The {@code sealed-sender} section, parsed by this feature (the config package does not know it).
 *
 * @param certificateLifetime how long a sender certificate is valid after it is issued
 * @param maxPerRecipientPerMinute accepted sealed sends to one account per minute (across the nodes with Redis,
 *                                 per node without it or while it does not answer)
 * @param maxPerIpPerMinute sealed send attempts from one client IP per minute (counted as above), wrong keys included
 */
public record SealedSenderConfig(Duration certificateLifetime, int maxPerRecipientPerMinute, int maxPerIpPerMinute) {

    /** @throws ConfigException when a value breaks its rule */
    public static SealedSenderConfig from(ConfigTree t) {
        Duration lifetime = t.duration("sealed-sender.certificate-lifetime");
        if (lifetime.compareTo(Duration.ofMinutes(5)) < 0 || lifetime.compareTo(Duration.ofDays(7)) > 0) {
            throw new ConfigException("sealed-sender.certificate-lifetime must be between PT5M and P7D, was " + lifetime);
        }
        return new SealedSenderConfig(lifetime,
                t.integer("sealed-sender.max-per-recipient-per-minute", 1, 1_000_000),
                t.integer("sealed-sender.max-per-ip-per-minute", 1, 1_000_000));
    }
}
