// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.feature;

import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.spi.ProtocolConfig;
import io.helidon.webserver.websocket.WsRouting;
import java.util.List;

/**
 * One feature of the server (accounts, keys, directory, ...), wired by its own {@code create}
 * factory. The server adds each feature's routes; only the wiring (ParleyServer) sees them all.
 */
public interface Feature extends AutoCloseable {
    /** Adds this feature's HTTP routes; every route lives in one place per feature. */
    void routing(HttpRouting.Builder routing);

    /** Adds WebSocket endpoints, for the features that have them. */
    default void websocket(WsRouting.Builder ws) {}

    /** Protocol settings the feature's endpoints need (delivery: the WebSocket frame limit). */
    default List<ProtocolConfig> protocols() {
        return List.of();
    }

    /** Releases what the feature holds (connections, threads). */
    @Override
    default void close() {}
}
