// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.sms;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.Map;

/** The SMS feature's Prometheus meters: submits, throttling, receipts by state, reconnects. */
final class SmsMetrics {
    private final Counter submitted;
    private final Counter refused;
    private final Counter throttled;
    private final Counter windowFull;
    private final Counter reconnects;
    private final Counter bindFailures;
    private final Counter queued;
    private final Map<PartState, Counter> receipts = new EnumMap<>(PartState.class);

    SmsMetrics(MeterRegistry meters) {
        submitted = Counter.builder("parley.sms.submits").tag("outcome", "accepted")
                .description("submit_sm answered by the gateway").register(meters);
        refused = Counter.builder("parley.sms.submits").tag("outcome", "refused")
                .description("submit_sm answered by the gateway").register(meters);
        throttled = Counter.builder("parley.sms.throttled")
                .description("Submits that waited for their turn under sms.smpp.submits-per-second").register(meters);
        windowFull = Counter.builder("parley.sms.window_full")
                .description("Submits that waited for a slot in sms.smpp.window").register(meters);
        reconnects = Counter.builder("parley.sms.reconnects")
                .description("SMPP binds made again after a lost session").register(meters);
        bindFailures = Counter.builder("parley.sms.bind_failures")
                .description("SMPP connect or bind attempts that failed").register(meters);
        queued = Counter.builder("parley.sms.queued").description("SMS put in the outbox").register(meters);
        for (PartState state : PartState.values()) {
            receipts.put(state, Counter.builder("parley.sms.receipts").tag("state", state.wire())
                    .description("Delivery receipts by the state they report").register(meters));
        }
    }

    void submitted() {
        submitted.increment();
    }

    void refused() {
        refused.increment();
    }

    void throttled() {
        throttled.increment();
    }

    void windowFull() {
        windowFull.increment();
    }

    void reconnected() {
        reconnects.increment();
    }

    void bindFailed() {
        bindFailures.increment();
    }

    void queued() {
        queued.increment();
    }

    void receipt(PartState state) {
        receipts.get(state).increment();
    }
}
