// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.delivery;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * What every delivery WebSocket test holds: a temporary data directory, the real server a test
 * starts in it, and the sockets the test opened, all closed after each test (sockets first, so
 * the server's shutdown finds no live connection of ours).
 */
abstract class WebSocketTestBase {
    @TempDir
    Path dir;

    DeliveryTestServer server;
    private final List<WsTestClient> clients = new ArrayList<>();

    @AfterEach
    void closeSocketsAndServer() {
        clients.forEach(WsTestClient::close);
        if (server != null) {
            server.close();
        }
    }

    /** Remembers a socket so that it is closed after the test. */
    WsTestClient track(WsTestClient client) {
        clients.add(client);
        return client;
    }
}
