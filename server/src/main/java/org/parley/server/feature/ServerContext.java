// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.feature;

import io.micrometer.core.instrument.MeterRegistry;
import java.security.SecureRandom;
import java.time.Clock;
import org.parley.server.config.ServerConfig;
import org.parley.server.http.ClientAddresses;
import org.parley.server.storage.Database;
import org.parley.server.storage.PurgeScheduler;

/**
 * What every feature is built from. The clock is injected so that tests control time (code expiry,
 * retention, day buckets) without sleeping.
 */
public record ServerContext(
        ServerConfig config,
        Database database,
        Clock clock,
        SecureRandom random,
        MeterRegistry meters,
        ClientAddresses clientAddresses,
        PurgeScheduler purges) {}
