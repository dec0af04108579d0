// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.keys;

import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import org.parley.protocol.KeyUploadRequest;
import org.parley.protocol.PreKeyCounts;
import org.parley.server.feature.Feature;
import org.parley.server.feature.ServerContext;
import org.parley.server.accounts.Accounts;
import org.parley.server.accounts.DeviceKeys;
import org.parley.server.storage.Database;
import org.parley.server.http.AuthenticatedDevice;
import org.parley.server.http.DeviceAuthenticator;
import org.parley.server.http.HttpJson;
import org.parley.server.http.Routes;
import org.parley.server.transparency.PolicyContributor;

/**
 * Prekeys: {@code PUT /v1/keys} (upload and rotate), {@code GET /v1/keys} (one-time keys left) and
 * {@code GET /v1/keys/{accountId}/{deviceId|*}} (bundles, consuming one-time keys). Every endpoint
 * needs device authentication. See docs/protocol.md, section Keys.
 */
public final class KeysFeature implements Feature {
    private final KeysService service;
    private final DeviceAuthenticator authenticator;

    private KeysFeature(KeysService service, DeviceAuthenticator authenticator) {
        this.service = service;
        this.authenticator = authenticator;
    }

    /**
     * Wires the keys feature.
     *
     * @param accounts      the devices and identity keys that signatures are checked against
     * @param authenticator device authentication (from the accounts feature)
     */
    public static KeysFeature create(ServerContext ctx, Accounts accounts, DeviceAuthenticator authenticator) {
        return create(ctx, accounts, authenticator, KeyFetchLimit.inMemory());
    }

    /** As {@link #create(ServerContext, Accounts, DeviceAuthenticator)} with another fetch limit (e.g. shared by several nodes). */
    public static KeysFeature create(ServerContext ctx, Accounts accounts, DeviceAuthenticator authenticator,
                                     KeyFetchLimit fetchLimit) {
        KeyStore store = new JdbcKeyStore(ctx.database());
        return new KeysFeature(new KeysService(store, accounts, fetchLimit, ctx.clock(), ctx.meters()), authenticator);
    }

    /**
     * The keys devices register with, for the accounts feature: it is wired before this one (the
     * keys feature lists an account's devices), so this stands alone over the same tables.
     */
    public static DeviceKeys deviceKeys(Database database) {
        return new RegistrationKeys(new JdbcKeyStore(database));
    }

    /** The one-time prekeys a device has left, for the owner's data export. */
    public PreKeyCounts counts(String accountId, int deviceId) {
        return service.counts(new AuthenticatedDevice(accountId, deviceId));
    }

    @Override
    public void routing(HttpRouting.Builder routing) {
        routing.register("/v1/keys", rules -> rules
                .put("/", Routes.device(authenticator, this::upload))
                .get("/", Routes.device(authenticator, this::counts))
                // {deviceId} also matches the literal "*" (all devices); KeysService tells them apart.
                .get("/{accountId}/{deviceId}", Routes.device(authenticator, this::fetch)));
    }

    private void upload(ServerRequest req, ServerResponse res, AuthenticatedDevice device) {
        service.upload(device, HttpJson.read(req, KeyUploadRequest.class));
        res.status(Status.NO_CONTENT_204).send();
    }

    private void counts(ServerRequest req, ServerResponse res, AuthenticatedDevice device) {
        HttpJson.ok(res, service.counts(device));
    }

    private void fetch(ServerRequest req, ServerResponse res, AuthenticatedDevice device) {
        var params = req.path().pathParameters();
        HttpJson.ok(res, service.fetch(device, params.get("accountId"), params.get("deviceId")));
    }

    /** This feature's part of the published policy: what it stores, for how long, who reads it. */
    public static PolicyContributor policy() {
        return new KeysPolicy();
    }
}
