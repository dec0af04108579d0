// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.sms;

import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import org.parley.protocol.SmsSendRequest;
import org.parley.protocol.SmsSettings;
import org.parley.protocol.SmsStatus;
import org.parley.server.http.AuthenticatedDevice;
import org.parley.server.http.DeviceAuthenticator;
import org.parley.server.http.HttpJson;

/**
 * The SMS feature's HTTP edge, every route in one place (docs/protocol.md, section SMS); all need
 * device authentication.
 * <pre>
 *   POST /v1/sms                 queue an SMS (SmsSendRequest) -> SmsStatus
 *   GET  /v1/sms/{id}            one of the caller's SMS       -> SmsStatus
 *   GET  /v1/me/settings/sms     the account's opt-in          -> SmsSettings
 *   PUT  /v1/me/settings/sms     turn it on or off             -> SmsSettings
 * </pre>
 */
final class SmsRoutes {
    private final SmsService service;
    private final DeviceAuthenticator devices;

    SmsRoutes(SmsService service, DeviceAuthenticator devices) {
        this.service = service;
        this.devices = devices;
    }

    void register(HttpRouting.Builder routing) {
        routing.register("/v1/sms", this::messages)
                .register("/v1/me/settings/sms", this::settings);
    }

    private void messages(HttpRules rules) {
        rules.post("/", this::send)
                .get("/{id}", this::status);
    }

    private void settings(HttpRules rules) {
        rules.get("/", this::readSettings)
                .put("/", this::writeSettings);
    }

    private void send(ServerRequest req, ServerResponse res) {
        AuthenticatedDevice device = devices.authenticate(req);
        SmsSendRequest body = HttpJson.read(req, SmsSendRequest.class);
        HttpJson.ok(res, view(service.send(device.accountId(), body)));
    }

    private void status(ServerRequest req, ServerResponse res) {
        AuthenticatedDevice device = devices.authenticate(req);
        HttpJson.ok(res, view(service.status(device.accountId(), req.path().pathParameters().get("id"))));
    }

    private void readSettings(ServerRequest req, ServerResponse res) {
        AuthenticatedDevice device = devices.authenticate(req);
        HttpJson.ok(res, new SmsSettings(service.optedIn(device.accountId()), service.offered()));
    }

    private void writeSettings(ServerRequest req, ServerResponse res) {
        AuthenticatedDevice device = devices.authenticate(req);
        SmsSettings body = HttpJson.read(req, SmsSettings.class);
        service.setOptIn(device.accountId(), body.enabled());
        HttpJson.ok(res, new SmsSettings(service.optedIn(device.accountId()), service.offered()));
    }

    static SmsStatus view(SmsRecord r) {
        return new SmsStatus(r.id(), r.recipient(), r.status().wire(), r.alphabet().wire(),
                r.parts().stream().map(PartState::wire).toList(), r.createdAt(), r.updatedAt(), r.failure());
    }
}
