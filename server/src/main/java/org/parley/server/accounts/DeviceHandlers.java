// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.accounts;

import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import org.parley.protocol.LinkDeviceRequest;
import org.parley.server.http.AuthenticatedDevice;
import org.parley.server.http.DeviceAuthenticator;
import org.parley.server.http.HttpJson;
import org.parley.server.http.Routes;

/**
 * The linked-device endpoints (docs/protocol.md, "Provisioning"): {@code POST /v1/devices/provisioning-codes},
 * {@code POST /v1/devices} (unauthenticated: the provisioning code is the credential),
 * {@code GET /v1/devices} and {@code DELETE /v1/devices/{deviceId}}.
 */
final class DeviceHandlers {
    private final DeviceLinking linking;
    private final DeviceAuthenticator auth;

    DeviceHandlers(DeviceLinking linking, DeviceAuthenticator auth) {
        this.linking = linking;
        this.auth = auth;
    }

    void routing(HttpRouting.Builder routing) {
        routing.register("/v1/devices", rules -> rules
                .post("/provisioning-codes", Routes.device(auth, this::issueCode))
                .post("/", this::link)
                .get("/", Routes.device(auth, this::list))
                .delete("/{deviceId}", Routes.device(auth, this::remove)));
    }

    private void issueCode(ServerRequest req, ServerResponse res, AuthenticatedDevice device) {
        HttpJson.ok(res, linking.issueCode(device));
    }

    private void link(ServerRequest req, ServerResponse res) {
        HttpJson.ok(res, linking.link(HttpJson.read(req, LinkDeviceRequest.class)));
    }

    private void list(ServerRequest req, ServerResponse res, AuthenticatedDevice device) {
        HttpJson.ok(res, linking.list(device));
    }

    private void remove(ServerRequest req, ServerResponse res, AuthenticatedDevice device) {
        linking.remove(device, req.path().pathParameters().get("deviceId"));
        res.status(Status.NO_CONTENT_204).send();
    }
}
