// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A second address for one server: a loopback TCP forwarder that a test can kill like a dying node (it
 * stops listening and resets every connection through it). With it, one SQLite server looks to a client
 * like two nodes of a deployment.
 */
final class TcpProxy implements AutoCloseable {
    private final ServerSocket listener;
    private final int targetPort;
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    /** Bytes forwarded from clients to the server, over every connection. */
    private final java.util.concurrent.atomic.AtomicLong upstream = new java.util.concurrent.atomic.AtomicLong();
    /** When {@link #upstream} reaches this, every open connection is reset once (then it is -1). */
    private volatile long cutAt = -1;
    private volatile boolean cut;

    private TcpProxy(ServerSocket listener, int targetPort) {
        this.listener = listener;
        this.targetPort = targetPort;
        Thread.ofPlatform().daemon().name("proxy-accept-" + listener.getLocalPort()).start(this::acceptLoop);
    }

    static TcpProxy start(int targetPort) throws IOException {
        ServerSocket listener = new ServerSocket();
        listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        return new TcpProxy(listener, targetPort);
    }

    String url() {
        return "http://127.0.0.1:" + listener.getLocalPort();
    }

    private void acceptLoop() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                Socket server = new Socket(InetAddress.getLoopbackAddress(), targetPort);
                sockets.add(client);
                sockets.add(server);
                Thread.ofVirtual().start(() -> pump(client, server, true));
                Thread.ofVirtual().start(() -> pump(server, client, false));
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    /**
     * Resets every open connection once, when clients have sent {@code bytes} more bytes through the
     * proxy: a network that fails in the middle of an upload.
     */
    void cutAfterUpstreamBytes(long bytes) {
        cutAt = upstream.get() + bytes;
    }

    /** True once {@link #cutAfterUpstreamBytes} has cut the connections. */
    boolean hasCut() {
        return cut;
    }

    private void pump(Socket from, Socket to, boolean toServer) {
        byte[] buffer = new byte[16 * 1024];
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                out.write(buffer, 0, n);
                out.flush();
                if (toServer && upstream.addAndGet(n) >= cutAt && cutAt >= 0) {
                    cutAt = -1;
                    cut = true;
                    resetConnections();
                }
            }
        } catch (IOException e) {
            // one side went away; close() or the peer ends the other direction
        }
    }

    /** The node dies: no new connections, and every open one is reset (no close frame, no FIN). */
    @Override
    public void close() throws IOException {
        listener.close();
        resetConnections();
    }

    private void resetConnections() {
        for (Socket socket : sockets) {
            try {
                socket.setSoLinger(true, 0);
            } catch (IOException alreadyClosed) {
                // nothing to reset
            }
            try {
                socket.close();
            } catch (IOException alreadyClosed) {
                // nothing to close
            }
        }
    }
}
