// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.sms;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.parley.server.config.ConfigLoader;

/**
 * Measures how closely the SMPP link holds {@code sms.smpp.submits-per-second}: 64 virtual threads
 * submit N single-part SMS through one transceiver bind to the {@link TestSmsc}, which timestamps each
 * {@code submit_sm} as it arrives. Prints, per configured rate, the achieved rate over the run and the
 * smallest and median gap between consecutive submits. Not part of the normal suite; run it with
 * <pre>
 * ./.ci/mvn -B -q -o -pl server -am test -Dtest=SmsThrottleBenchmark -Dparley.bench.sms=true -Dsurefire.failIfNoSpecifiedTests=false
 * </pre>
 */
@EnabledIfSystemProperty(named = "parley.bench.sms", matches = "true")
class SmsThrottleBenchmark {

    @Test
    void measure() throws Exception {
        for (int[] run : new int[][] {{10, 100}, {50, 400}, {200, 1000}, {1000, 3000}}) {
            int rate = run[0];
            int n = run[1];
            try (TestSmsc smsc = TestSmsc.start()) {
                Map<String, String> env = new HashMap<>(smsc.env(true, false));
                env.put("PARLEY_SMS_SMPP_SUBMITS_PER_SECOND", Integer.toString(rate));
                env.put("PARLEY_SMS_SMPP_WINDOW", "10");
                SmsConfig config = SmsConfig.from(ConfigLoader.load(null, env));
                SmsMetrics metrics = new SmsMetrics(new SimpleMeterRegistry());
                try (SmppLink link = new SmppLink(config.smpp(), new ReceiptHandler((id, s) -> { }), metrics)) {
                    link.start(() -> { });
                    link.awaitBound(10_000);
                    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
                        for (int i = 0; i < n; i++) {
                            String id = "bench." + i;
                            pool.submit(() -> link.submit(new SmppLink.Part(id, "+14155550100", SmsAlphabet.GSM7, false,
                                    new byte[] {'h', 'i'})));
                        }
                    }
                }
                List<Long> times = new ArrayList<>(smsc.submits().stream().map(TestSmsc.Submit::nanoTime).sorted().toList());
                List<Long> gaps = new ArrayList<>();
                for (int i = 1; i < times.size(); i++) {
                    gaps.add(times.get(i) - times.get(i - 1));
                }
                gaps.sort(Long::compare);
                double seconds = (times.getLast() - times.getFirst()) / 1e9;
                System.out.printf("sms throttle: configured %5d/s  submits %5d  achieved %8.2f/s  min gap %7.3f ms"
                                + "  median gap %7.3f ms  (ideal gap %7.3f ms)%n", rate, times.size(),
                        (times.size() - 1) / seconds, gaps.getFirst() / 1e6, gaps.get(gaps.size() / 2) / 1e6, 1000.0 / rate);
            }
        }
    }
}
