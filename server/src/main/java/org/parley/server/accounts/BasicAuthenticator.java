// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.accounts;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;
import org.parley.server.accounts.AccountStore.Credentials;
import org.parley.server.http.AuthenticatedDevice;
import org.parley.server.http.DeviceAuthenticator;
import org.parley.server.errors.Unauthenticated;

/**
 * HTTP Basic device authentication: user {@code accountId.deviceId}, the device password checked
 * against its salted SHA-256 in constant time. Unknown accounts and wrong passwords get the same
 * answer. Also records the day a device was last seen, at most one write per device and day.
 */
final class BasicAuthenticator implements DeviceAuthenticator {
    static final Duration CACHE_TTL = Duration.ofMinutes(5);
    static final int CACHE_CAPACITY = 10_000;
    private static final long DAY_MILLIS = Duration.ofDays(1).toMillis();
    private static final String MISSING = "this endpoint needs device credentials: HTTP Basic with user {accountId}.{deviceId}"
            + " and the device password";
    private static final String WRONG = "wrong account id, device id or password";
    /** Hashed against when the device is unknown, so that both failures cost the same work. */
    private static final byte[] DUMMY_SALT = new byte[SaltedHash.SALT_BYTES];
    private static final byte[] DUMMY_HASH = new byte[32];

    private final AccountStore store;
    private final Clock clock;
    private final CredentialCache cache;
    private final Counter failures;

    BasicAuthenticator(AccountStore store, Clock clock, MeterRegistry meters) {
        this.store = store;
        this.clock = clock;
        this.cache = new CredentialCache(CACHE_CAPACITY, CACHE_TTL.toMillis());
        this.failures = Counter.builder("parley.auth.failures").description("Rejected device credentials").register(meters);
    }

    @Override
    public AuthenticatedDevice authenticate(Optional<String> authorization) {
        String value = authorization.orElse(null);
        if (value == null) {
            failures.increment();
            throw new Unauthenticated(Unauthenticated.Party.DEVICE, MISSING);
        }
        long now = clock.millis();
        byte[] key = SaltedHash.sha256(value);
        CredentialCache.Entry entry = cache.get(key, now);
        if (entry == null) {
            entry = verify(value, key, now);
        }
        touch(entry, now);
        return entry.device();
    }

    /** Forgets cached verifications of {@code accountId}; called after its devices were replaced. */
    void invalidate(String accountId) {
        cache.invalidate(accountId);
    }

    private CredentialCache.Entry verify(String header, byte[] key, long now) {
        long generation = cache.generation();
        Basic basic;
        try {
            basic = parse(header);
        } catch (Unauthenticated e) {
            failures.increment();
            throw e;
        }
        Optional<Credentials> stored = store.credentials(basic.accountId(), basic.deviceId());
        byte[] salt = stored.map(Credentials::passwordSalt).orElse(DUMMY_SALT);
        byte[] expected = stored.map(Credentials::passwordHash).orElse(DUMMY_HASH);
        boolean matches = SaltedHash.matches(salt, basic.password(), expected);
        if (!matches || stored.isEmpty()) {
            failures.increment();
            throw new Unauthenticated(Unauthenticated.Party.DEVICE, WRONG);
        }
        return cache.put(key, new AuthenticatedDevice(basic.accountId(), basic.deviceId()),
                stored.get().lastSeenDay(), generation, now);
    }

    private void touch(CredentialCache.Entry entry, long now) {
        long today = Math.floorDiv(now, DAY_MILLIS);
        long seen = entry.lastSeenDay().get();
        if (today > seen && entry.lastSeenDay().compareAndSet(seen, today)) {
            store.markSeen(entry.device().accountId(), entry.device().deviceId(), today);
        }
    }

    private record Basic(String accountId, int deviceId, String password) {}

    private static Basic parse(String header) {
        if (header.length() < 6 || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
            throw malformed();
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(header.substring(6).strip()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw malformed();
        }
        int colon = decoded.indexOf(':');
        int dot = colon < 0 ? -1 : decoded.lastIndexOf('.', colon);
        if (dot <= 0 || colon - dot < 2 || colon - dot > 10) {
            throw malformed();
        }
        String device = decoded.substring(dot + 1, colon);
        if (!device.chars().allMatch(ch -> ch >= '0' && ch <= '9')) {
            throw malformed();
        }
        return new Basic(decoded.substring(0, dot), Integer.parseInt(device), decoded.substring(colon + 1));
    }

    private static Unauthenticated malformed() {
        return new Unauthenticated(Unauthenticated.Party.DEVICE, "malformed credentials: use HTTP Basic with user {accountId}.{deviceId}"
                + " and the device password");
    }
}
