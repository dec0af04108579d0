// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.http;

import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.channels.ServerSocketChannel;
import org.parley.server.config.ConfigException;
import org.parley.server.config.ServerConfig;

/**
 * The server's listening address, bound before start-up writes anything to disk and held until the
 * web server binds it for real. So a port in use ends start-up with one line that says what to do,
 * before the data directory, the database, the operator token or the signing key exist, instead of
 * Helidon's stack trace after all of them were created.
 *
 * <p>Helidon cannot take over a bound socket, so the address is free for a moment between
 * {@link #close()} and Helidon's bind; a process that takes it in that moment still makes start-up
 * fail (ParleyServer checks that Helidon listens), only later. Port 0 reserves nothing: the system
 * picks a free port when Helidon binds.
 */
public final class PortReservation implements AutoCloseable {
    private final ServerSocketChannel channel;

    private PortReservation(ServerSocketChannel channel) {
        this.channel = channel;
    }

    /**
     * Binds {@code server.host}:{@code server.port}, with the same address reuse as Helidon's listener.
     *
     * @throws ConfigException in one line naming the address, what is wrong and what to do
     */
    public static PortReservation hold(ServerConfig.Http http) {
        if (http.port() == 0) {
            return new PortReservation(null);
        }
        String where = http.host() + ":" + http.port();
        InetAddress address;
        try {
            address = InetAddress.getByName(http.host());
        } catch (UnknownHostException e) {
            throw new ConfigException("cannot listen on " + where + ": " + http.host() + " is not a known host name"
                    + " or address; choose another --host (server.host), e.g. 127.0.0.1");
        }
        ServerSocketChannel channel = null;
        try {
            // SO_REUSEADDR is on by default, as on Helidon's listener: connections of a previous run
            // still in TIME_WAIT do not count as the port in use. Backlog 1: nobody is served here;
            // a client that connects meanwhile is reset when the reservation closes.
            channel = ServerSocketChannel.open();
            channel.bind(new InetSocketAddress(address, http.port()), 1);
            return new PortReservation(channel);
        } catch (IOException e) {
            closeQuietly(channel);
            throw new ConfigException("cannot listen on " + where + ": " + reason(e, http));
        }
    }

    /** The bind failure in words, with the fix; the errno text alone does not say what to do. */
    private static String reason(IOException e, ServerConfig.Http http) {
        String message = String.valueOf(e.getMessage());
        if (e instanceof BindException && message.contains("in use")) {
            return "port " + http.port() + " is in use by another program (perhaps another Parley server);"
                    + " stop it, or choose another --port (server.port)";
        }
        if (e instanceof BindException && message.contains("assign requested address")) {
            return http.host() + " is not an address of this machine; choose another --host (server.host), e.g. 127.0.0.1";
        }
        if (e instanceof BindException && message.contains("ermission denied")) {
            return "ports below 1024 need privileges; choose --port 1024 or above (server.port) and, if you need"
                    + " port " + http.port() + ", forward it there or put a reverse proxy in front";
        }
        return message + "; choose another --host or --port (server.host, server.port)";
    }

    /** Lets the address go, for the web server to bind right after. */
    @Override
    public void close() {
        closeQuietly(channel);
    }

    private static void closeQuietly(ServerSocketChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException e) {
                // A listening socket that was never accepted on has nothing to lose.
            }
        }
    }
}
