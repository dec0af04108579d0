// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.accounts;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.parley.protocol.DeviceList;
import org.parley.protocol.LinkDeviceRequest;
import org.parley.protocol.Limits;
import org.parley.protocol.ProvisioningCode;
import org.parley.protocol.RegistrationResponse;
import org.parley.server.accounts.AccountStore.LinkOutcome;
import org.parley.server.accounts.AccountStore.NewDevice;
import org.parley.server.errors.Forbidden;
import org.parley.server.errors.InvalidRequest;
import org.parley.server.errors.InvalidState;
import org.parley.server.errors.NotFound;
import org.parley.server.errors.RateLimited;
import org.parley.server.errors.SessionExpired;
import org.parley.server.http.AuthenticatedDevice;

/**
 * Linked devices without HTTP: a device of an account asks for a one-use provisioning code, a new
 * device spends it to join the account (at most {@link Limits#MAX_DEVICES_PER_ACCOUNT} devices),
 * and any device of the account lists the devices or removes a linked one.
 *
 * <p>The server only checks that the new device carries the account's identity key; that the user
 * meant to add it is told end-to-end by the linking device (a device notice, docs/protocol.md),
 * which the server cannot forge.
 */
final class DeviceLinking {
    /** Long enough to scan a QR code and type nothing; short enough that a leaked code soon dies. */
    static final Duration CODE_TTL = Duration.ofMinutes(10);
    /** Unexpired codes an account may hold at once: linking is rare, so a handful is plenty. */
    static final int MAX_OUTSTANDING_CODES = 5;
    static final int PRIMARY_DEVICE = 1;
    private static final int CODE_BYTES = 32;

    private final AccountStore store;
    private final DeviceKeys keys;
    private final Clock clock;
    private final SecureRandom random;
    private final BiConsumer<String, Integer> deviceRemoved;
    private final Consumer<String> deviceAdded;
    private final Counter linked;
    private final Counter removed;

    /**
     * @param deviceRemoved told (account id, device id) after a removal committed
     * @param deviceAdded told the account id after a linked device was committed
     */
    DeviceLinking(AccountStore store, DeviceKeys keys, Clock clock, SecureRandom random, MeterRegistry meters,
                  BiConsumer<String, Integer> deviceRemoved, Consumer<String> deviceAdded) {
        this.deviceAdded = deviceAdded;
        this.store = store;
        this.keys = keys;
        this.clock = clock;
        this.random = random;
        this.deviceRemoved = deviceRemoved;
        this.linked = Counter.builder("parley.accounts.devices.linked").description("Devices linked to an account")
                .register(meters);
        this.removed = Counter.builder("parley.accounts.devices.removed").description("Linked devices removed")
                .register(meters);
    }

    ProvisioningCode issueCode(AuthenticatedDevice device) {
        byte[] bytes = new byte[CODE_BYTES];
        random.nextBytes(bytes);
        String code = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        long now = clock.millis();
        long expiresAt = now + CODE_TTL.toMillis();
        if (!store.issueProvisioningCode(device.accountId(), device.deviceId(), hash(code), now, expiresAt,
                MAX_OUTSTANDING_CODES)) {
            throw new RateLimited("this account already holds " + MAX_OUTSTANDING_CODES
                    + " unused provisioning codes; use one or wait until they expire", CODE_TTL);
        }
        return new ProvisioningCode(code, expiresAt);
    }

    RegistrationResponse link(LinkDeviceRequest request) {
        keys.check(request.device());
        byte[] salt = SaltedHash.salt(random);
        var d = request.device();
        NewDevice device = new NewDevice(d.registrationId(), salt, SaltedHash.hash(salt, d.password()), d.identityKey(),
                d.signedPreKey(), d.pqLastResortPreKey());
        LinkOutcome outcome = store.linkDevice(hash(request.provisioningCode()), device,
                Limits.MAX_DEVICES_PER_ACCOUNT, clock.millis());
        return switch (outcome.verdict()) {
            case OK -> {
                linked.increment();
                deviceAdded.accept(outcome.accountId());
                String handle = store.handleOf(outcome.accountId()).orElse(null);
                yield new RegistrationResponse(outcome.accountId(), outcome.deviceId(), handle);
            }
            case UNKNOWN_CODE -> throw new SessionExpired("provisioning_code_invalid",
                    "this provisioning code is unknown or was already used; ask the linking device for a new one");
            case EXPIRED -> throw new SessionExpired("provisioning_code_expired",
                    "this provisioning code expired; ask the linking device for a new one");
            case TOO_MANY_DEVICES -> throw new InvalidState("too_many_devices", "the account already has "
                    + Limits.MAX_DEVICES_PER_ACCOUNT + " devices; remove one first (parley device remove ID)");
            case IDENTITY_MISMATCH -> throw new Forbidden("identity_mismatch",
                    "a linked device must carry the account's identity key");
        };
    }

    DeviceList list(AuthenticatedDevice device) {
        var dates = ((AccountRecords) store).record(device.accountId()).map(AccountRecords.AccountRecord::devices)
                .orElse(List.of());
        var records = store.devices(device.accountId());
        List<DeviceList.Device> out = records.stream().map(r -> {
            var date = dates.stream().filter(x -> x.deviceId() == r.deviceId()).findFirst();
            return new DeviceList.Device(r.deviceId(), r.registrationId(),
                    date.map(AccountRecords.DeviceDates::createdAtMs).orElse(0L),
                    date.map(AccountRecords.DeviceDates::lastSeenDay).orElse(0L));
        }).toList();
        return new DeviceList(out);
    }

    /**
     * Removes a linked device with its keys and queue. The primary device (1) is not removed this way:
     * registering the handle again replaces it.
     */
    void remove(AuthenticatedDevice device, String rawDeviceId) {
        int deviceId;
        try {
            deviceId = Integer.parseInt(rawDeviceId);
        } catch (NumberFormatException e) {
            throw new InvalidRequest("deviceId must be a number");
        }
        if (deviceId == PRIMARY_DEVICE) {
            throw new Forbidden("primary_device", "the primary device (1) cannot be removed; register the handle"
                    + " again to replace it");
        }
        if (!store.removeDevice(device.accountId(), deviceId)) {
            throw new NotFound("this account has no device " + deviceId);
        }
        removed.increment();
        deviceRemoved.accept(device.accountId(), deviceId);
    }

    long purgeCodes(long now) {
        return store.purgeProvisioningCodes(now);
    }

    /** The code is 256 random bits, so a plain hash suffices: there is nothing to guess from it. */
    private static byte[] hash(String code) {
        return SaltedHash.sha256(code);
    }
}
