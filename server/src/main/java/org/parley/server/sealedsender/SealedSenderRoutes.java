// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.sealedsender;

import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.util.Base64;
import java.util.Optional;
import org.parley.protocol.AccessKeySettings;
import org.parley.protocol.SealedMultiRecipientRequest;
import org.parley.protocol.SealedSendRequest;
import org.parley.protocol.SealedSenderRoot;
import org.parley.server.errors.InvalidRequest;
import org.parley.server.http.AuthenticatedDevice;
import org.parley.server.http.ClientAddresses;
import org.parley.server.http.DeviceAuthenticator;
import org.parley.server.http.HttpJson;
import org.parley.server.http.Routes;

/** The sealed-sender routes (docs/protocol.md, "Sealed sender"). */
final class SealedSenderRoutes {
    static final HeaderName ACCESS_KEY = HeaderNames.create("Unidentified-Access-Key");

    private final DeviceAuthenticator auth;
    private final ClientAddresses addresses;
    private final CertificateIssuer issuer;
    private final SealedSender sender;
    private final SealedSenderRoot root;

    SealedSenderRoutes(DeviceAuthenticator auth, ClientAddresses addresses, CertificateIssuer issuer, SealedSender sender,
                       SealedSenderRoot root) {
        this.auth = auth;
        this.addresses = addresses;
        this.issuer = issuer;
        this.sender = sender;
        this.root = root;
    }

    void register(HttpRouting.Builder routing) {
        routing.get("/.well-known/parley/sealed-sender-root", (req, res) -> HttpJson.ok(res, root))
                .get("/v1/certificate/delivery", Routes.device(auth, this::certificate))
                .put("/v1/me/access-key", Routes.device(auth, this::setAccessKey))
                .get("/v1/me/access-key", Routes.device(auth, this::accessKeyStatus))
                // "/multi" before "/{accountId}": the first matching route wins.
                .put("/v1/sealed-messages/multi", this::sendMulti)
                .put("/v1/sealed-messages/{accountId}", this::send);
    }

    private void certificate(ServerRequest req, ServerResponse res, AuthenticatedDevice device) {
        HttpJson.ok(res, issuer.issue(device.accountId(), device.deviceId()));
    }

    private void setAccessKey(ServerRequest req, ServerResponse res, AuthenticatedDevice device) {
        AccessKeySettings settings = HttpJson.read(req, AccessKeySettings.class);
        sender.setAccessKey(device.accountId(), settings);
        res.status(204).send();
    }

    private void accessKeyStatus(ServerRequest req, ServerResponse res, AuthenticatedDevice device) {
        HttpJson.ok(res, sender.accessKeyStatus(device.accountId()));
    }

    /** No device credentials: the recipient's access key authorises it, and the sender stays unknown. */
    private void send(ServerRequest req, ServerResponse res) {
        if (Routes.authorization(req).isPresent()) {
            throw new InvalidRequest("a sealed send must not carry an Authorization header: it would name the sender");
        }
        String destination = req.path().pathParameters().get("accountId");
        Optional<byte[]> key = req.headers().first(ACCESS_KEY).map(SealedSenderRoutes::decode);
        SealedSendRequest body = HttpJson.read(req, SealedSendRequest.class);
        HttpJson.ok(res, sender.send(destination, key, addresses.clientOf(req), body));
    }

    /** Several accounts at once, each with its own access key in the body; no device credentials either. */
    private void sendMulti(ServerRequest req, ServerResponse res) {
        if (Routes.authorization(req).isPresent()) {
            throw new InvalidRequest("a sealed send must not carry an Authorization header: it would name the sender");
        }
        SealedMultiRecipientRequest body = HttpJson.read(req, SealedMultiRecipientRequest.class);
        HttpJson.ok(res, sender.sendMulti(addresses.clientOf(req), body));
    }

    /** Undecodable is simply wrong: an empty key matches no stored one. */
    private static byte[] decode(String header) {
        try {
            return Base64.getDecoder().decode(header.strip());
        } catch (IllegalArgumentException e) {
            return new byte[0];
        }
    }
}
