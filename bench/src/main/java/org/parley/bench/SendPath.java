// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.bench;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One sender thread's way to the server: its own keep-alive HTTP connection, or the sending device's
 * delivery WebSocket (shared by that device's sender threads, each waiting for its own answer).
 */
interface SendPath extends AutoCloseable {
    /** The answer to a send: the HTTP status (or a {@code send-result}'s status) and the first envelope's guid. */
    record Answer(int status, String guid) {}

    /** Sends {@code flow}'s next ciphertext and waits for the answer. */
    Answer send(RelayEngine.Flow flow) throws IOException;

    @Override
    void close();

    /** A new path for one sender thread: HTTP opens a connection; WS reuses the device's socket. */
    static SendPath open(Transport transport, BenchTarget target, Map<SimDevice, Receiver> sockets, SimDevice from) {
        if (transport == Transport.HTTP) {
            RawHttp http = new RawHttp(target.server());
            return new SendPath() {
                @Override
                public Answer send(RelayEngine.Flow flow) throws IOException {
                    RawHttp.Response r = http.exchange(flow.head(), flow.payloads().nextBody());
                    return new Answer(r.status(), r.status() == 200 ? Guids.find(r.text()) : null);
                }

                @Override
                public void close() {
                    http.close();
                }
            };
        }
        Receiver socket = sockets.get(from);
        if (socket == null) {
            throw new BenchException("no delivery WebSocket for " + from);
        }
        return new SendPath() {
            @Override
            public Answer send(RelayEngine.Flow flow) throws IOException {
                return socket.send(flow.to().accountId(), flow.payloads(),
                        BenchTarget.REQUEST_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            }

            @Override
            public void close() {
                // the socket belongs to the engine
            }
        };
    }
}
