// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.http;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.List;
import org.parley.server.config.Cidr;
import org.parley.server.config.ConfigException;

/**
 * Works out a request's client IP. {@code X-Forwarded-For} is believed only when the socket peer is
 * a configured trusted proxy, because any client can send the header; then the client is the
 * right-most address in the chain that is not itself a trusted proxy.
 */
public final class ClientAddresses {
    private final List<Cidr> trustedProxies;

    public ClientAddresses(List<Cidr> trustedProxies) {
        this.trustedProxies = List.copyOf(trustedProxies);
    }

    public InetAddress clientOf(ServerRequest request) {
        InetAddress peer = peerOf(request.remotePeer().address());
        if (peer == null || !isTrusted(peer)) {
            return peer;
        }
        List<String> forwarded = request.headers().values(HeaderNames.X_FORWARDED_FOR).isEmpty()
                ? List.of() : List.of(request.headers().get(HeaderNames.X_FORWARDED_FOR).allValues().toArray(String[]::new));
        return resolve(peer, forwarded);
    }

    /** The decision without Helidon types, for tests: {@code headerValues} in arrival order. */
    public InetAddress resolve(InetAddress peer, List<String> headerValues) {
        if (peer == null || !isTrusted(peer)) {
            return peer;
        }
        List<String> hops = headerValues.stream()
                .flatMap(v -> java.util.Arrays.stream(v.split(",")))
                .map(String::strip)
                .filter(s -> !s.isEmpty())
                .toList();
        InetAddress client = peer;
        for (int i = hops.size() - 1; i >= 0; i--) {
            InetAddress hop;
            try {
                hop = Cidr.literal(stripPort(hops.get(i)), "X-Forwarded-For hop");
            } catch (ConfigException e) {
                // A garbled hop ends the trusted chain: the last good address is the best we know.
                return client;
            }
            client = hop;
            if (!isTrusted(hop)) {
                return hop;
            }
        }
        return client;
    }

    private boolean isTrusted(InetAddress address) {
        for (Cidr cidr : trustedProxies) {
            if (cidr.contains(address)) {
                return true;
            }
        }
        return false;
    }

    private static String stripPort(String hop) {
        // 203.0.113.7:443 -> 203.0.113.7 ; [2001:db8::1]:443 -> 2001:db8::1 ; bare IPv6 stays.
        if (hop.startsWith("[")) {
            int end = hop.indexOf(']');
            return end > 0 ? hop.substring(1, end) : hop;
        }
        int colon = hop.indexOf(':');
        return colon > 0 && colon == hop.lastIndexOf(':') ? hop.substring(0, colon) : hop;
    }

    private static InetAddress peerOf(SocketAddress address) {
        return address instanceof InetSocketAddress inet ? inet.getAddress() : null;
    }
}
