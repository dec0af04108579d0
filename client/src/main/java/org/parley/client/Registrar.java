// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.client;

import java.net.URI;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import org.parley.client.crypto.NewDeviceKeys;
import org.parley.client.crypto.PreKeyManager;
import org.parley.client.store.AccountState;
import org.parley.client.store.LocalState;
import org.parley.client.store.OwnDevices;
import org.parley.client.transport.DeviceCredentials;
import org.parley.client.transport.ParleyApi;
import org.parley.protocol.Handles;
import org.parley.protocol.KeyUploadRequest;
import org.parley.protocol.RegistrationRequest;
import org.parley.protocol.RegistrationResponse;
import org.parley.protocol.VerificationSessionResponse;
import org.parley.client.error.ParleyException;
import org.parley.client.error.ParleyStateException;

/**
 * Registration in two steps: ask for a code, then prove it. New keys are generated only in memory and
 * stored once the server has accepted them, so a mistyped code never destroys a working registration.
 */
final class Registrar {
    static final int ONE_TIME_KEYS = 100;
    /** 24 random bytes: 32 base64 characters, inside the protocol's 22..128. */
    private static final int PASSWORD_BYTES = 24;

    private final LocalState state;
    private final ApiFactory apis;
    private final PreKeyManager keys;
    private final SecureRandom random = new SecureRandom();

    @FunctionalInterface
    interface ApiFactory {
        ParleyApi create(URI serverUrl, DeviceCredentials credentials);
    }

    Registrar(LocalState state, ApiFactory apis, PreKeyManager keys) {
        this.state = state;
        this.apis = apis;
        this.keys = keys;
    }

    PendingRegistration start(URI serverUrl, String handle) {
        String normalized = Handles.normalize(handle);
        VerificationSessionResponse session = apis.create(serverUrl, null).startVerification(normalized);
        AccountState current = state.accounts().load().orElse(null);
        // Re-verifying the same handle on the same server keeps the working credentials until the new
        // code is proven; anything else starts over.
        boolean same = current != null && current.registered()
                && current.serverUrl().equals(serverUrl) && current.handle().equals(session.handle());
        state.accounts().save(same
                ? new AccountState(serverUrl, session.handle(), current.accountId(), current.deviceId(),
                        current.password(), session.sessionId())
                : new AccountState(serverUrl, session.handle(), null, null, null, session.sessionId()));
        return new PendingRegistration(serverUrl, session.handle(), Instant.ofEpochMilli(session.expiresAt()));
    }

    Registration verify(String code) {
        AccountState pending = state.accounts().load()
                .filter(a -> a.pendingSessionId() != null)
                .orElseThrow(() -> new ParleyStateException("no registration is pending; request a code first"));
        NewDeviceKeys device = keys.generateDevice();
        String password = newPassword();
        RegistrationResponse created = apis.create(pending.serverUrl(), null).register(new RegistrationRequest(
                pending.pendingSessionId(), code.strip(), PreKeyManager.registration(device, password)));

        AccountState registered = new AccountState(pending.serverUrl(), created.handle(), created.accountId(),
                created.deviceId(), password, null);
        state.database().update(c -> {
            keys.install(device);
            state.accounts().save(registered);
            // A new registration has exactly one device, this one.
            state.ownDevices().clear();
            state.ownDevices().add(created.deviceId(), device.registrationId(), OwnDevices.SELF);
        });

        // The account exists from here on. If the upload fails, the registration still stands: senders
        // fall back to the last-resort key, and the next receive tops the one-time keys up.
        int uploaded = 0;
        String uploadError = null;
        try {
            KeyUploadRequest oneTime = keys.createOneTimeKeys(ONE_TIME_KEYS, ONE_TIME_KEYS);
            apis.create(pending.serverUrl(), new DeviceCredentials(created.accountId(), created.deviceId(), password))
                    .uploadKeys(oneTime);
            uploaded = oneTime.preKeys().size();
        } catch (ParleyException e) {
            uploadError = e.getMessage();
        }
        // Sealed sender: pin the trust root now, while this registration is the trust decision.
        SealedSenderSetup.atRegistration(state,
                apis.create(pending.serverUrl(), new DeviceCredentials(created.accountId(), created.deviceId(), password)));
        return new Registration(pending.serverUrl(), created.handle(), created.accountId(), created.deviceId(),
                uploaded, uploadError);
    }

    private String newPassword() {
        byte[] bytes = new byte[PASSWORD_BYTES];
        random.nextBytes(bytes);
        return Base64.getEncoder().encodeToString(bytes);
    }
}
