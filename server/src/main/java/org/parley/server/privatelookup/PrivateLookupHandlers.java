// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.privatelookup;

import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import org.parley.protocol.OprfEvaluateRequest;
import org.parley.server.errors.InvalidRequest;
import org.parley.server.http.AuthenticatedDevice;
import org.parley.server.http.ClientAddresses;
import org.parley.server.http.DeviceAuthenticator;
import org.parley.server.http.HttpJson;
import org.parley.server.http.Routes;

/** HTTP for the private lookup, under {@code /v1/private-lookup}. */
final class PrivateLookupHandlers implements HttpService {
    private final DeviceAuthenticator devices;
    private final ClientAddresses clients;
    private final PrivateLookup lookup;

    PrivateLookupHandlers(DeviceAuthenticator devices, ClientAddresses clients, PrivateLookup lookup) {
        this.devices = devices;
        this.clients = clients;
        this.lookup = lookup;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/config", (req, res) -> HttpJson.ok(res, lookup.config()))
                .post("/evaluate", Routes.device(devices, this::evaluate))
                .get("/buckets/{keyId}/{bits}/{prefix}", Routes.device(devices, this::bucket));
    }

    void evaluate(ServerRequest req, ServerResponse res, AuthenticatedDevice device) {
        HttpJson.ok(res, lookup.evaluate(device, HttpJson.read(req, OprfEvaluateRequest.class)));
    }

    void bucket(ServerRequest req, ServerResponse res, AuthenticatedDevice device) {
        var params = req.path().pathParameters();
        int bits;
        long prefix;
        try {
            bits = Integer.parseInt(params.get("bits"));
            prefix = Long.parseLong(params.get("prefix"));
        } catch (NumberFormatException e) {
            throw new InvalidRequest("prefixBits and prefix in the path must be whole numbers");
        }
        HttpJson.ok(res, lookup.bucket(device, params.get("keyId"), bits, prefix, clients.clientOf(req)));
    }
}
