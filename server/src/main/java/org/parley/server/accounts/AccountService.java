// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.accounts;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.OptionalLong;
import java.util.function.Consumer;
import org.parley.protocol.DeviceRegistration;
import org.parley.protocol.Handles;
import org.parley.protocol.InvalidHandleException;
import org.parley.protocol.RegistrationRequest;
import org.parley.protocol.RegistrationResponse;
import org.parley.protocol.VerificationSessionResponse;
import org.parley.server.accounts.AccountStore.NewDevice;
import org.parley.server.accounts.AccountStore.Outcome;
import org.parley.server.accounts.AccountStore.Verdict;
import org.parley.server.accounts.AccountStore.VerificationSession;
import org.parley.server.config.ServerConfig;
import org.parley.server.errors.InvalidRequest;
import org.parley.server.errors.NotFound;
import org.parley.server.errors.RateLimited;
import org.parley.server.errors.SessionExpired;
import org.parley.server.errors.WrongCode;

/**
 * Verification sessions and registration, without HTTP. A code is six random digits stored only as a
 * salted hash; a session allows {@code max-attempts} wrong codes, lives {@code code-ttl} and creates
 * an account once. Each handle may start {@code max-sessions-per-hour} sessions per hour.
 */
final class AccountService {
    static final long SESSION_WINDOW_MILLIS = Duration.ofHours(1).toMillis();

    private final AccountStore store;
    private final DeviceKeys keys;
    private final VerificationSender sender;
    private final ServerConfig.Verification policy;
    private final Clock clock;
    private final SecureRandom random;
    private final Consumer<String> devicesReplaced;
    private Consumer<String> registered = accountId -> { };
    private final Counter sessionsStarted;
    private final Counter registrations;
    private final Counter reRegistrations;
    private final Counter wrongCodes;

    AccountService(AccountStore store, DeviceKeys keys, VerificationSender sender, ServerConfig.Verification policy, Clock clock,
                   SecureRandom random, MeterRegistry meters, Consumer<String> devicesReplaced) {
        this.store = store;
        this.keys = keys;
        this.sender = sender;
        this.policy = policy;
        this.clock = clock;
        this.random = random;
        this.devicesReplaced = devicesReplaced;
        this.sessionsStarted = Counter.builder("parley.accounts.verification.sessions")
                .description("Verification sessions started").register(meters);
        this.registrations = Counter.builder("parley.accounts.registrations").tag("kind", "new")
                .description("Accounts registered").register(meters);
        this.reRegistrations = Counter.builder("parley.accounts.registrations").tag("kind", "re-registration")
                .description("Accounts registered").register(meters);
        this.wrongCodes = Counter.builder("parley.accounts.verification.wrong_codes")
                .description("Wrong verification codes submitted").register(meters);
    }

    /** Starts a session for {@code rawHandle} and hands the code to the sender. */
    VerificationSessionResponse startSession(String rawHandle) {
        return startSession(rawHandle, null);
    }

    /** As {@link #startSession(String)}; {@code client} (may be null) is handed to the sender. */
    VerificationSessionResponse startSession(String rawHandle, java.net.InetAddress client) {
        String handle = normalize(rawHandle);
        long now = clock.millis();
        String code = String.format("%06d", random.nextInt(1_000_000));
        byte[] salt = SaltedHash.salt(random);
        VerificationSession session = new VerificationSession(SaltedHash.uuid(random), handle, salt,
                SaltedHash.hash(salt, code), now, now + policy.codeTtl().toMillis(), 0, false);
        OptionalLong refusedUntil = store.startSession(session, policy.maxSessionsPerHour(), SESSION_WINDOW_MILLIS);
        if (refusedUntil.isPresent()) {
            throw new RateLimited("this handle started " + policy.maxSessionsPerHour()
                    + " verification sessions in the last hour; wait before asking for another code",
                    Duration.ofSeconds(secondsUntil(refusedUntil.getAsLong(), now)));
        }
        sessionsStarted.increment();
        // Sent after the commit: a failing sender still counts against the hourly limit, so a broken
        // or slow command cannot be hammered.
        sender.send(handle, code, client);
        return new VerificationSessionResponse(session.sessionId(), handle, session.expiresAt());
    }

    /** Told the account id after every successful registration or re-registration (after the commit). */
    void onRegistered(Consumer<String> listener) {
        this.registered = listener;
    }

    /** Proves the code and creates or re-registers the account with its primary device. */
    RegistrationResponse register(RegistrationRequest request) {
        NewDevice device = checkedDevice(request.device());
        long now = clock.millis();
        String code = request.code();
        Outcome outcome = store.register(request.sessionId(), session -> judge(session, code, now),
                SaltedHash.uuid(random), device, now);
        return switch (outcome.verdict()) {
            case OK -> {
                (outcome.replacedDevices() ? reRegistrations : registrations).increment();
                if (outcome.replacedDevices()) {
                    devicesReplaced.accept(outcome.accountId());
                }
                registered.accept(outcome.accountId());
                yield new RegistrationResponse(outcome.accountId(), 1, outcome.session().handle());
            }
            case NOT_FOUND -> throw new NotFound("no such verification session; start one with POST /v1/verification/sessions");
            case CONSUMED -> throw new SessionExpired("this verification session was already used to register; start a new one");
            case EXPIRED -> throw new SessionExpired("the verification code expired; start a new session");
            case DEAD -> {
                long allowedAt = store.nextSessionAllowedAt(outcome.session().handle(), policy.maxSessionsPerHour(),
                        SESSION_WINDOW_MILLIS, now);
                throw new RateLimited("too many wrong codes for this session; start a new session",
                        Duration.ofSeconds(secondsUntil(allowedAt, now)));
            }
            case WRONG_CODE -> {
                wrongCodes.increment();
                int remaining = Math.max(0, policy.maxAttempts() - outcome.session().attempts() - 1);
                String message = remaining > 0
                        ? "wrong verification code; " + remaining + (remaining == 1 ? " attempt" : " attempts") + " left"
                        : "wrong verification code; no attempts left, start a new session";
                throw new WrongCode(message, remaining);
            }
        };
    }

    private Verdict judge(VerificationSession session, String code, long now) {
        if (session.consumed()) {
            return Verdict.CONSUMED;
        }
        if (session.attempts() >= policy.maxAttempts()) {
            return Verdict.DEAD;
        }
        if (now >= session.expiresAt()) {
            return Verdict.EXPIRED;
        }
        return SaltedHash.matches(session.codeSalt(), code, session.codeHash()) ? Verdict.OK : Verdict.WRONG_CODE;
    }

    /** Checks the keys before any transaction: signature checks are CPU work that must not hold the writer. */
    private NewDevice checkedDevice(DeviceRegistration device) {
        keys.check(device);
        byte[] salt = SaltedHash.salt(random);
        return new NewDevice(device.registrationId(), salt, SaltedHash.hash(salt, device.password()),
                device.identityKey(), device.signedPreKey(), device.pqLastResortPreKey());
    }

    /** Deletes sessions past expiry and past the rate-limit window; the purge job calls it. */
    long purgeSessions(long now) {
        return store.purgeSessions(now, SESSION_WINDOW_MILLIS);
    }

    private static String normalize(String rawHandle) {
        try {
            return Handles.normalize(rawHandle);
        } catch (InvalidHandleException e) {
            throw InvalidRequest.handle(e.getMessage());
        }
    }

    private static long secondsUntil(long epochMillis, long now) {
        return Math.max(1, (epochMillis - now + 999) / 1000);
    }
}
