// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.sms;

import java.net.InetAddress;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.UUID;
import org.parley.server.accounts.VerificationSender;
import org.parley.server.errors.InvalidRequest;

/**
 * {@code verification.sender: smpp}: the code goes by SMS through the same outbox and SMPP link as SMS
 * fallback. Limited per phone number and per client address over a sliding hour (on top of the
 * accounts feature's per-handle session limit), and every attempt is written to the
 * {@link JdbcSmsVerificationLog} as its mode allows.
 *
 * <p>The call waits a little for the gateway's acceptance so that a refused number fails the request;
 * while the link is down the code stays queued (until the code expires) and goes out once it is back.
 */
final class SmsVerificationSender implements VerificationSender {
    private static final long HOUR = Duration.ofHours(1).toMillis();
    private static final String TEXT = "Your Parley code is %s. Do not share it with anyone.";

    private final SmsOutbox outbox;
    private final SmsDispatcher dispatcher;
    private final JdbcSmsVerificationLog log;
    private final SlidingWindowLimit perNumber;
    private final SlidingWindowLimit perAddress;
    private final Duration codeTtl;
    private final Duration wait;
    private final Clock clock;
    private final SecureRandom random;
    private final SmsMetrics metrics;

    SmsVerificationSender(SmsConfig config, SmsOutbox outbox, SmsDispatcher dispatcher, JdbcSmsVerificationLog log,
                          Duration codeTtl, Clock clock, SecureRandom random, SmsMetrics metrics) {
        this.outbox = outbox;
        this.dispatcher = dispatcher;
        this.log = log;
        this.perNumber = new SlidingWindowLimit(config.verification().maxPerNumberPerHour(), HOUR);
        this.perAddress = new SlidingWindowLimit(config.verification().maxPerIpPerHour(), HOUR);
        this.codeTtl = codeTtl;
        this.wait = config.smpp().responseTimeout();
        this.clock = clock;
        this.random = random;
        this.metrics = metrics;
    }

    @Override
    public void send(String handle, String code) {
        send(handle, code, null);
    }

    @Override
    public void send(String handle, String code, InetAddress client) {
        long now = clock.millis();
        String number;
        try {
            number = SmsService.phoneNumber(handle, "handle");
        } catch (InvalidRequest e) {
            log.append(now, handle, client, JdbcSmsVerificationLog.Outcome.INVALID_NUMBER);
            throw SmsRefusals.invalid("this server sends verification codes by SMS only;"
                    + " register with a phone number in E.164 form such as +12025550143");
        }
        long numberWait = perNumber.tryAcquire(number, now);
        if (numberWait > 0) {
            log.append(now, number, client, JdbcSmsVerificationLog.Outcome.RATE_LIMITED_NUMBER);
            throw SmsRefusals.rateLimited("too many codes were sent to this number in the"
                    + " last hour (sms.verification.max-per-number-per-hour); wait before asking again", seconds(numberWait));
        }
        if (client != null) {
            long addressWait = perAddress.tryAcquire(client.getHostAddress(), now);
            if (addressWait > 0) {
                log.append(now, number, client, JdbcSmsVerificationLog.Outcome.RATE_LIMITED_IP);
                throw SmsRefusals.rateLimited("too many codes were requested from this"
                        + " address in the last hour (sms.verification.max-per-ip-per-hour); wait before asking again",
                        seconds(addressWait));
            }
        }
        String text = String.format(TEXT, code);
        SmsRecord queued = outbox.enqueue(new SmsOutbox.NewSms(UUID.randomUUID().toString(), null, null,
                SmsRecord.Purpose.VERIFICATION, number, text, SmsEncoder.alphabetOf(text), SmsEncoder.partCount(text),
                random.nextInt(256), now, now + codeTtl.toMillis()));
        log.append(now, number, client, JdbcSmsVerificationLog.Outcome.QUEUED);
        metrics.queued();
        dispatcher.wake();
        SmsState state;
        try {
            state = dispatcher.awaitSubmitted(queued.id(), wait.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        if (state == SmsState.FAILED) {
            throw SmsRefusals.unavailable("the SMS gateway refused the verification code for"
                    + " this number; check the number or try again later");
        }
    }

    private static long seconds(long millis) {
        return Math.max(1, (millis + 999) / 1000);
    }
}
