// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.client.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.URI;
import org.junit.jupiter.api.Test;

class ServerUrlsTest {
    @Test
    void normalize_trailingSlashes_areRemoved() {
        assertEquals(URI.create("https://parley.example.org/prefix"), ServerUrls.normalize(" https://parley.example.org/prefix// "));
    }

    @Test
    void normalize_otherScheme_isRejected() {
        assertThrows(IllegalArgumentException.class, () -> ServerUrls.normalize("ftp://example.org"));
        assertThrows(IllegalArgumentException.class, () -> ServerUrls.normalize("example.org:8080"));
        assertThrows(IllegalArgumentException.class, () -> ServerUrls.normalize("http://example.org/?x=1"));
    }

    @Test
    void websocket_fromHttpAndHttps_switchesScheme() {
        assertEquals(URI.create("ws://127.0.0.1:8080/v1/websocket"),
                ServerUrls.websocket(URI.create("http://127.0.0.1:8080"), "/v1/websocket"));
        assertEquals(URI.create("wss://example.org/parley/v1/websocket"),
                ServerUrls.websocket(URI.create("https://example.org/parley"), "/v1/websocket"));
    }

    @Test
    void segment_phoneNumberPlus_isPercentEncoded() {
        assertEquals("%2B12025550143", ServerUrls.segment("+12025550143"));
        assertEquals("bob%40example.org", ServerUrls.segment("bob@example.org"));
    }

    @Test
    void credentials_header_isBasicOfAccountDotDevice() {
        DeviceCredentials credentials = new DeviceCredentials("acc", 2, "pw");
        assertEquals("Basic YWNjLjI6cHc=", credentials.authorizationHeader());
        assertEquals("DeviceCredentials[acc.2]", credentials.toString());
    }
}
