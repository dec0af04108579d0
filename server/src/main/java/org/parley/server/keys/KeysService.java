// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.keys;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.parley.protocol.KeyUploadRequest;
import org.parley.protocol.PreKeyBundles;
import org.parley.protocol.PreKeyCounts;
import org.parley.server.accounts.Accounts;
import org.parley.server.accounts.Accounts.DeviceRecord;
import org.parley.server.http.AuthenticatedDevice;
import org.parley.server.keys.KeyStore.FetchedBundle;
import org.signal.libsignal.protocol.IdentityKey;
import org.parley.server.errors.InvalidRequest;
import org.parley.server.errors.NotFound;
import org.parley.server.errors.RateLimited;
import org.parley.server.errors.Unauthenticated;

/** The keys endpoints without HTTP: validation against the device's identity key, then the store. */
final class KeysService {
    /**
     * One-time keys of each kind a device may keep on the server. The client tops up to 100; the
     * cap leaves room for that plus a retried upload, and bounds what one device can make us store.
     */
    static final int MAX_STORED_ONE_TIME_KEYS = 200;

    private final KeyStore store;
    private final Accounts accounts;
    private final KeyFetchLimit fetchLimit;
    private final Clock clock;
    private final Counter bundlesServed;
    private final Counter lastResortServed;
    private final Counter preKeysExhausted;

    KeysService(KeyStore store, Accounts accounts, KeyFetchLimit fetchLimit, Clock clock, MeterRegistry meters) {
        this.store = store;
        this.accounts = accounts;
        this.fetchLimit = fetchLimit;
        this.clock = clock;
        this.bundlesServed = Counter.builder("parley.keys.bundles").description("Prekey bundles handed out").register(meters);
        this.lastResortServed = Counter.builder("parley.keys.last_resort")
                .description("Bundles that carried the Kyber last-resort key because one-time Kyber keys ran out").register(meters);
        this.preKeysExhausted = Counter.builder("parley.keys.ec_exhausted")
                .description("Bundles without a one-time EC prekey").register(meters);
    }

    /** Checks every key and signature of {@code upload}, then stores it all or nothing. */
    void upload(AuthenticatedDevice device, KeyUploadRequest upload) {
        IdentityKey identity = identityOf(device);
        for (int i = 0; i < upload.preKeys().size(); i++) {
            PreKeyChecks.ecPreKey(upload.preKeys().get(i), "preKeys[" + i + "]");
        }
        for (int i = 0; i < upload.pqPreKeys().size(); i++) {
            PreKeyChecks.signedKyberPreKey(identity, upload.pqPreKeys().get(i), "pqPreKeys[" + i + "]");
        }
        if (upload.signedPreKey() != null) {
            PreKeyChecks.signedEcPreKey(identity, upload.signedPreKey(), "signedPreKey");
        }
        if (upload.pqLastResortPreKey() != null) {
            PreKeyChecks.signedKyberPreKey(identity, upload.pqLastResortPreKey(), "pqLastResortPreKey");
        }
        switch (store.upload(device.accountId(), device.deviceId(), upload, MAX_STORED_ONE_TIME_KEYS)) {
            case STORED -> { }
            case NO_DEVICE -> throw gone();
            case OVER_CAP -> throw new InvalidRequest("a device may keep at most " + MAX_STORED_ONE_TIME_KEYS
                    + " one-time prekeys of each kind on the server; GET /v1/keys says how many it has, upload fewer");
        }
    }

    PreKeyCounts counts(AuthenticatedDevice device) {
        return store.counts(device.accountId(), device.deviceId());
    }

    /**
     * Bundles for {@code deviceSelector} ({@code *} or a device id) of {@code accountId}, counted
     * against the requester's {@link KeyFetchLimit} for that account.
     *
     * @throws InvalidRequest for a selector that is neither; NotFound for an unknown account or device;
     *         RateLimited past the limit
     */
    PreKeyBundles fetch(AuthenticatedDevice requester, String accountId, String deviceSelector) {
        Integer deviceId = parseSelector(deviceSelector);
        // Counted before anything is read: a refused fetch learns nothing, not even whether the account exists.
        Optional<Duration> wait = fetchLimit.tryAcquire(requester.accountId(), requester.deviceId(), accountId,
                clock.instant());
        if (wait.isPresent()) {
            throw new RateLimited("this device fetched the keys of this account " + KeyFetchLimit.MAX_FETCHES
                    + " times in the last " + KeyFetchLimit.WINDOW.toMinutes() + " minutes; retry later", wait.get());
        }
        List<DeviceRecord> devices = accounts.devices(accountId);
        if (deviceId != null) {
            devices = devices.stream().filter(d -> d.deviceId() == deviceId).toList();
        }
        if (devices.isEmpty()) {
            throw new NotFound(deviceId == null ? "no such account" : "no such account or device");
        }
        // The device list is read before the keys transaction; a re-registration in between can pair
        // a stale identity key with new prekeys, which the client's signature check rejects (it retries).
        List<FetchedBundle> fetched = store.takeBundles(accountId, devices);
        if (fetched.isEmpty()) {
            throw new NotFound("no such account or device");
        }
        for (FetchedBundle f : fetched) {
            bundlesServed.increment();
            if (f.bundle().preKey() == null) {
                preKeysExhausted.increment();
            }
            if (f.lastResort()) {
                lastResortServed.increment();
            }
        }
        return new PreKeyBundles(accountId, fetched.stream().map(FetchedBundle::bundle).toList());
    }

    private static Integer parseSelector(String selector) {
        if ("*".equals(selector)) {
            return null;
        }
        if (selector == null || selector.isEmpty() || selector.length() > 9 || !selector.chars().allMatch(Character::isDigit)) {
            throw new InvalidRequest("the device in /v1/keys/{accountId}/{deviceId} must be a device id number or *");
        }
        return Integer.parseInt(selector);
    }

    private IdentityKey identityOf(AuthenticatedDevice device) {
        return accounts.devices(device.accountId()).stream()
                .filter(d -> d.deviceId() == device.deviceId())
                .findFirst()
                .map(d -> PreKeyChecks.identityKey(d.identityKey(), "identityKey"))
                .orElseThrow(KeysService::gone);
    }

    private static Unauthenticated gone() {
        return new Unauthenticated(Unauthenticated.Party.DEVICE, "this device no longer exists; the account was registered again elsewhere");
    }
}
