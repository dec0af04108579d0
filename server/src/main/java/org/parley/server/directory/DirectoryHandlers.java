// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.directory;

import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.util.ArrayList;
import java.util.List;
import org.parley.protocol.BatchLookupRequest;
import org.parley.protocol.BatchLookupResponse;
import org.parley.protocol.Handles;
import org.parley.protocol.InvalidHandleException;
import org.parley.server.http.AuthenticatedDevice;
import org.parley.server.http.ClientAddresses;
import org.parley.server.http.DeviceAuthenticator;
import org.parley.server.http.HttpJson;
import org.parley.server.errors.InvalidRequest;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.HttpRules;
import org.parley.server.http.Routes;

/** HTTP for the capability lookup: authenticate, validate every handle, then ask {@link Directory}. */
final class DirectoryHandlers implements HttpService {
    private final DeviceAuthenticator devices;
    private final ClientAddresses clients;
    private final Directory directory;

    DirectoryHandlers(DeviceAuthenticator devices, ClientAddresses clients, Directory directory) {
        this.devices = devices;
        this.clients = clients;
        this.directory = directory;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/{handle}", Routes.device(devices, this::single))
                .post("/lookup", Routes.device(devices, this::batch));
    }

    /** {@code GET /v1/directory/{handle}}. */
    void single(ServerRequest req, ServerResponse res, AuthenticatedDevice device) {
        String handle = normalize(req.path().pathParameters().get("handle"), "the handle in the path");
        HttpJson.ok(res, directory.lookup(device, List.of(handle), clients.clientOf(req)).getFirst());
    }

    /** {@code POST /v1/directory/lookup}: the whole batch fails if any handle is invalid. */
    void batch(ServerRequest req, ServerResponse res, AuthenticatedDevice device) {
        BatchLookupRequest body = HttpJson.read(req, BatchLookupRequest.class);
        List<String> handles = new ArrayList<>(body.handles().size());
        for (int i = 0; i < body.handles().size(); i++) {
            handles.add(normalize(body.handles().get(i), "handles[" + i + "]"));
        }
        HttpJson.ok(res, new BatchLookupResponse(directory.lookup(device, handles, clients.clientOf(req))));
    }

    private static String normalize(String raw, String where) {
        try {
            return Handles.normalize(raw);
        } catch (InvalidHandleException e) {
            // The message names the rule, never the input: handles stay out of error logs too.
            throw InvalidRequest.handle(where + ": " + e.getMessage());
        }
    }
}
