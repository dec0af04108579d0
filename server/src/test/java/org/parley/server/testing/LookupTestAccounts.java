// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.testing;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.parley.server.accounts.Accounts;
import org.parley.server.http.AuthenticatedDevice;
import org.parley.server.http.DeviceAuthenticator;
import org.parley.server.errors.Unauthenticated;

/**
 * A map-backed {@link Accounts} and {@link DeviceAuthenticator} for the directory, lookup-log and
 * admin tests: a test fixture holding data, standing in for the accounts feature those tests do
 * not exercise. Every device's password is {@link #PASSWORD}.
 */
public final class LookupTestAccounts implements Accounts, DeviceAuthenticator {
    public static final String PASSWORD = "test-password-0123456789";

    private final Map<String, String> idByHandle = new ConcurrentHashMap<>();
    private final Map<String, String> handleById = new ConcurrentHashMap<>();
    private final Map<String, List<DeviceRecord>> devicesById = new ConcurrentHashMap<>();

    /** Adds an account with devices 1..deviceCount (registration ids 1000 + device id); returns its id. */
    public String add(String normalizedHandle, int deviceCount) {
        String id = UUID.randomUUID().toString();
        idByHandle.put(normalizedHandle, id);
        handleById.put(id, normalizedHandle);
        devicesById.put(id, java.util.stream.IntStream.rangeClosed(1, deviceCount)
                .mapToObj(d -> new DeviceRecord(d, 1000 + d, new byte[33]))
                .toList());
        return id;
    }

    /** The Basic Authorization header value for a device of an account. */
    public static String basic(String accountId, int deviceId) {
        String credentials = accountId + "." + deviceId + ":" + PASSWORD;
        return "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public Optional<String> accountIdOf(String handle) {
        return Optional.ofNullable(idByHandle.get(handle));
    }

    @Override
    public Optional<String> handleOf(String accountId) {
        return Optional.ofNullable(handleById.get(accountId));
    }

    @Override
    public List<DeviceRecord> devices(String accountId) {
        return devicesById.getOrDefault(accountId, List.of());
    }

    @Override
    public AuthenticatedDevice authenticate(Optional<String> authorization) {
        String value = authorization.orElse("");
        if (!value.startsWith("Basic ")) {
            throw new Unauthenticated(Unauthenticated.Party.DEVICE, "device credentials required");
        }
        String decoded = new String(Base64.getDecoder().decode(value.substring(6)), StandardCharsets.UTF_8);
        int dot = decoded.indexOf('.');
        int colon = decoded.indexOf(':');
        if (dot < 0 || colon < dot) {
            throw new Unauthenticated(Unauthenticated.Party.DEVICE, "malformed credentials");
        }
        String accountId = decoded.substring(0, dot);
        int deviceId = Integer.parseInt(decoded.substring(dot + 1, colon));
        boolean known = devices(accountId).stream().anyMatch(d -> d.deviceId() == deviceId);
        if (!known || !decoded.substring(colon + 1).equals(PASSWORD)) {
            throw new Unauthenticated(Unauthenticated.Party.DEVICE, "wrong credentials");
        }
        return new AuthenticatedDevice(accountId, deviceId);
    }
}
