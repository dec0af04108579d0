// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.delivery;

import io.micrometer.core.instrument.Counter;

/** Delivery counters; no tags, so nothing about who talks to whom reaches the metrics. */
record DeliveryMetrics(Counter delivered, Counter acks) {}
