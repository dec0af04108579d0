// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.client;

import java.net.URI;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.parley.client.crypto.DecryptionException;
import org.parley.client.crypto.LinkMessage;
import org.parley.client.crypto.NewDeviceKeys;
import org.parley.client.crypto.PreKeyManager;
import org.parley.client.error.ParleyCryptoException;
import org.parley.client.error.ParleyException;
import org.parley.client.store.AccountState;
import org.parley.client.store.LocalState;
import org.parley.client.store.OwnDevices;
import org.parley.client.transport.DeviceCredentials;
import org.parley.client.transport.ParleyApi;
import org.parley.client.transport.ProvisioningSocket;
import org.parley.client.transport.ServerUrls;
import org.parley.protocol.KeyUploadRequest;
import org.parley.protocol.LinkDeviceRequest;
import org.parley.protocol.ProvisioningFrame;
import org.parley.protocol.RegistrationResponse;
import org.signal.libsignal.protocol.IdentityKeyPair;
import org.signal.libsignal.protocol.InvalidKeyException;
import org.signal.libsignal.protocol.ecc.ECPrivateKey;

/**
 * The new device's side of linking: open the provisioning socket, show a {@link LinkCode}, wait for
 * the sealed {@link LinkMessage}, then register as a device of the account with the account's identity
 * and this device's own fresh registration id, password and prekeys. As with {@link Registrar}, keys
 * are stored only once the server accepted the device.
 */
final class NewDeviceLinker {
    private static final int PASSWORD_BYTES = 24;

    private final LocalState state;
    private final Registrar.ApiFactory apis;
    private final PreKeyManager keys;
    private final SecureRandom random = new SecureRandom();

    NewDeviceLinker(LocalState state, Registrar.ApiFactory apis, PreKeyManager keys) {
        this.state = state;
        this.apis = apis;
        this.keys = keys;
    }

    PendingLink start(List<URI> servers) {
        ProvisioningSocket socket = apis.create(servers.getFirst(), null).openProvisioning();
        try {
            ProvisioningFrame.Address address = socket.address(Duration.ofSeconds(30));
            ECPrivateKey ephemeral = ECPrivateKey.generate();
            return new PendingLink(new LinkCode(address.id(), ephemeral.publicKey()),
                    Instant.ofEpochMilli(address.expiresAt()), socket, ephemeral, servers);
        } catch (RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    Registration complete(PendingLink link, Duration timeout) {
        LinkMessage message;
        try {
            message = LinkMessage.open(link.socket.message(timeout), link.ephemeral, link.code().provisioningId());
        } catch (DecryptionException e) {
            throw new ParleyCryptoException(e.getMessage(), e);
        } finally {
            link.close();
        }
        IdentityKeyPair identity;
        try {
            identity = new IdentityKeyPair(message.identityKeyPair());
        } catch (InvalidKeyException | IllegalArgumentException e) {
            throw new ParleyCryptoException("the link message carries no valid identity key pair", e);
        }
        NewDeviceKeys device = keys.generateLinkedDevice(identity);
        String password = newPassword();
        URI server = link.servers.getFirst();
        RegistrationResponse created = apis.create(server, null).linkDevice(
                new LinkDeviceRequest(message.provisioningCode(), PreKeyManager.registration(device, password)));

        AccountState registered = new AccountState(server, created.handle() != null ? created.handle() : message.handle(),
                created.accountId(), created.deviceId(), password, null);
        // The URLs given here first, then any other node the linking device knows of, for failover.
        List<URI> urls = new ArrayList<>(link.servers);
        for (String other : message.serverUrls() == null ? List.<String>of() : message.serverUrls()) {
            try {
                URI url = ServerUrls.normalize(other);
                if (!urls.contains(url)) {
                    urls.add(url);
                }
            } catch (IllegalArgumentException ignored) {
                // A URL this client cannot use is left out; the ones it was given still work.
            }
        }
        state.database().update(c -> {
            keys.install(device);
            state.accounts().save(registered);
            state.serverUrls().save(urls);
            OwnDevices own = state.ownDevices();
            own.clear();
            for (LinkMessage.KnownDevice known : message.devices() == null ? List.<LinkMessage.KnownDevice>of() : message.devices()) {
                own.add(known.deviceId(), known.registrationId(), OwnDevices.PROVISIONING);
            }
            own.add(created.deviceId(), device.registrationId(), OwnDevices.SELF);
            if (message.sealedSenderRoot() != null) {
                state.sealedSender().pinTrustRoot(message.sealedSenderRoot());
            }
            if (message.accessKey() != null) {
                state.sealedSender().setOwnAccessKey(message.accessKey());
            }
        });

        int uploaded = 0;
        String uploadError = null;
        try {
            KeyUploadRequest oneTime = keys.createOneTimeKeys(Registrar.ONE_TIME_KEYS, Registrar.ONE_TIME_KEYS);
            ParleyApi api = apis.create(server, new DeviceCredentials(created.accountId(), created.deviceId(), password));
            api.uploadKeys(oneTime);
            uploaded = oneTime.preKeys().size();
        } catch (ParleyException e) {
            uploadError = e.getMessage();
        }
        return new Registration(server, registered.handle(), created.accountId(), created.deviceId(), uploaded, uploadError);
    }

    private String newPassword() {
        byte[] bytes = new byte[PASSWORD_BYTES];
        random.nextBytes(bytes);
        return Base64.getEncoder().encodeToString(bytes);
    }
}
