// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.delivery;

import io.micrometer.core.instrument.Counter;

/**
 * Delivery counters; no tags, so nothing about who talks to whom reaches the metrics.
 *
 * @param handedOff the part of {@code delivered} sent from memory right after the send committed,
 *     without reading the queue
 * @param busyRetries reads of a delivery loop tried again because the database was saturated
 * @param socketSends {@code send} frames answered (any result)
 */
record DeliveryMetrics(Counter delivered, Counter acks, Counter handedOff, Counter busyRetries, Counter socketSends) {}
