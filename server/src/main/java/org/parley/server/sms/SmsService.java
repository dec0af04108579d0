// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.sms;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import org.parley.protocol.Handles;
import org.parley.protocol.InvalidHandleException;
import org.parley.protocol.SmsSendRequest;
import org.parley.server.accounts.Accounts;

/**
 * SMS fallback for users, without HTTP: the server must offer it ({@code sms.gateway: smpp}), the
 * account must have turned it on, the recipient must be a phone number that is not on Parley (whose
 * users get end-to-end encryption instead), and the text must fit {@code sms.max-parts}. A queued SMS
 * goes to the {@link SmsDispatcher}; the answer does not wait for the gateway.
 */
final class SmsService {
    private final SmsConfig config;
    private final SmsOutbox outbox;
    private final JdbcSmsOptIns optIns;
    private final Accounts accounts;
    private final Runnable wakeDispatcher;
    private final Clock clock;
    private final SecureRandom random;
    private final SmsMetrics metrics;

    SmsService(SmsConfig config, SmsOutbox outbox, JdbcSmsOptIns optIns, Accounts accounts, Runnable wakeDispatcher,
               Clock clock, SecureRandom random, SmsMetrics metrics) {
        this.config = config;
        this.outbox = outbox;
        this.optIns = optIns;
        this.accounts = accounts;
        this.wakeDispatcher = wakeDispatcher;
        this.clock = clock;
        this.random = random;
        this.metrics = metrics;
    }

    /** Queues {@code request} from {@code accountId}; a repeat of its client message id returns the first SMS. */
    SmsRecord send(String accountId, SmsSendRequest request) {
        requireOffered();
        if (optIns.enabledAt(accountId).isEmpty()) {
            throw SmsRefusals.notOptedIn("SMS fallback is off for this account; SMS is not"
                    + " end-to-end encrypted, so turn it on yourself first: PUT /v1/me/settings/sms {\"enabled\":true}"
                    + " (`parley account sms on`)");
        }
        String to = phoneNumber(request.to(), "to");
        if (accounts.accountIdOf(to).isPresent()) {
            throw SmsRefusals.onParley("the recipient is on Parley; send the message end-to-end"
                    + " encrypted with PUT /v1/messages instead of as SMS");
        }
        SmsAlphabet alphabet;
        int parts;
        try {
            alphabet = SmsEncoder.alphabetOf(request.text());
            parts = SmsEncoder.partCount(request.text());
        } catch (IllegalArgumentException e) {
            throw SmsRefusals.invalid("text: " + e.getMessage());
        }
        if (parts > config.maxParts()) {
            throw SmsRefusals.invalid("the text needs " + parts + " SMS parts ("
                    + alphabet.wire() + "); this server allows at most " + config.maxParts() + " (sms.max-parts): shorten it");
        }
        long now = clock.millis();
        long dayStart = Instant.ofEpochMilli(now).atZone(ZoneOffset.UTC).truncatedTo(ChronoUnit.DAYS).toInstant().toEpochMilli();
        if (outbox.countSince(accountId, dayStart) >= config.maxPerAccountPerDay()) {
            throw SmsRefusals.rateLimited("this account sent " + config.maxPerAccountPerDay()
                    + " SMS today (sms.max-per-account-per-day); try again after midnight UTC",
                    Math.max(1, (dayStart + 86_400_000L - now) / 1000));
        }
        SmsRecord record = outbox.enqueue(new SmsOutbox.NewSms(UUID.randomUUID().toString(), accountId,
                request.clientMessageId(), SmsRecord.Purpose.MESSAGE, to, request.text(), alphabet, parts,
                random.nextInt(256), now, now + config.maxQueueTime().toMillis()));
        metrics.queued();
        wakeDispatcher.run();
        return record;
    }

    /** One of the account's own SMS; another account's id is answered exactly like an unknown one. */
    SmsRecord status(String accountId, String id) {
        return outbox.find(id)
                .filter(r -> accountId.equals(r.accountId()))
                .orElseThrow(() -> SmsRefusals.notFound("no SMS with this id among this account's; ids come from POST /v1/sms"));
    }

    boolean optedIn(String accountId) {
        return optIns.enabledAt(accountId).isPresent();
    }

    boolean offered() {
        return config.fallback();
    }

    /** Turns SMS fallback on or off for the account; turning it on needs a server that offers it. */
    void setOptIn(String accountId, boolean enabled) {
        if (enabled) {
            requireOffered();
        }
        optIns.set(accountId, enabled, clock.millis());
    }

    private void requireOffered() {
        if (!config.fallback()) {
            throw SmsRefusals.disabled("this server does not send SMS (sms.gateway is none);"
                    + " a recipient who is not on Parley cannot be reached through it");
        }
    }

    /** The E.164 form of {@code raw}; email addresses and malformed numbers are refused. */
    static String phoneNumber(String raw, String field) {
        String handle;
        try {
            handle = Handles.normalize(raw);
        } catch (InvalidHandleException e) {
            throw SmsRefusals.invalid(field + ": " + e.getMessage());
        }
        if (Handles.kind(handle) != Handles.Kind.PHONE) {
            throw SmsRefusals.invalid(field + " must be a phone number in E.164 form such as"
                    + " +12025550143; SMS cannot reach an email address");
        }
        return handle;
    }
}
