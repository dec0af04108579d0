// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.http;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.util.Optional;

/**
 * What routes declare: {@code rules.get("/", Routes.device(auth, this::counts))} runs the handler
 * only for an authenticated device and hands it the device, so a handler cannot forget to check.
 */
public final class Routes {
    private Routes() {}

    /** A handler of a request from an authenticated device. */
    @FunctionalInterface
    public interface DeviceHandler {
        void handle(ServerRequest req, ServerResponse res, AuthenticatedDevice device) throws Exception;
    }

    /** Authenticates the device (401 when the credentials are missing or wrong), then runs {@code handler}. */
    public static Handler device(DeviceAuthenticator auth, DeviceHandler handler) {
        return (req, res) -> handler.handle(req, res, auth.authenticate(req));
    }

    /** The {@code Authorization} header's value, which the authenticators check. */
    public static Optional<String> authorization(ServerRequest req) {
        return req.headers().first(HeaderNames.AUTHORIZATION);
    }
}
