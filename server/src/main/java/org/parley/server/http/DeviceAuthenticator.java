// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.http;

import io.helidon.http.Headers;
import io.helidon.webserver.http.ServerRequest;

/**
 * Checks a device's HTTP Basic credentials ({@code accountId.deviceId:password}).
 * Implementations compare password hashes in constant time.
 */
public interface DeviceAuthenticator {
    /**
     * Returns the authenticated device.
     *
     * @throws ApiException 401 when the header is missing, malformed or wrong
     */
    AuthenticatedDevice authenticate(Headers headers);

    default AuthenticatedDevice authenticate(ServerRequest request) {
        return authenticate(request.headers());
    }
}
