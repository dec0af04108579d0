// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.http;

import io.helidon.http.HeaderNames;
import io.helidon.http.Headers;
import io.helidon.webserver.http.ServerRequest;
import java.util.Optional;

/**
 * Checks a device's HTTP Basic credentials ({@code accountId.deviceId:password}).
 * Implementations compare password hashes in constant time and see only the header's value, not
 * HTTP: the edge hands it over.
 */
public interface DeviceAuthenticator {
    /**
     * Returns the authenticated device.
     *
     * @param authorization the {@code Authorization} header's value, if the request has one
     * @throws org.parley.server.errors.Unauthenticated when the header is missing, malformed or wrong
     */
    AuthenticatedDevice authenticate(Optional<String> authorization);

    default AuthenticatedDevice authenticate(Headers headers) {
        return authenticate(headers.first(HeaderNames.AUTHORIZATION));
    }

    default AuthenticatedDevice authenticate(ServerRequest request) {
        return authenticate(request.headers());
    }
}
