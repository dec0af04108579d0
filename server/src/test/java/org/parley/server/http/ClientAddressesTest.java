// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.parley.server.config.Cidr;

class ClientAddressesTest {
    private static InetAddress ip(String text) throws Exception {
        return InetAddress.getByName(text);
    }

    private static ClientAddresses trusting(String... cidrs) {
        return new ClientAddresses(java.util.Arrays.stream(cidrs).map(Cidr::parse).toList());
    }

    @Test
    void resolve_untrustedPeer_ignoresForwardedFor() throws Exception {
        ClientAddresses addresses = trusting("10.0.0.0/8");
        assertEquals(ip("198.51.100.9"), addresses.resolve(ip("198.51.100.9"), List.of("203.0.113.7")));
    }

    @Test
    void resolve_noTrustedProxiesConfigured_ignoresForwardedFor() throws Exception {
        assertEquals(ip("10.0.0.5"), trusting().resolve(ip("10.0.0.5"), List.of("203.0.113.7")));
    }

    @Test
    void resolve_trustedPeer_usesTheForwardedClient() throws Exception {
        ClientAddresses addresses = trusting("10.0.0.0/8");
        assertEquals(ip("203.0.113.7"), addresses.resolve(ip("10.0.0.5"), List.of("203.0.113.7")));
    }

    @Test
    void resolve_spoofedLeftmostHop_takesRightmostUntrustedHop() throws Exception {
        // The client wrote 192.0.2.1 itself; our proxy appended the real peer 203.0.113.7.
        ClientAddresses addresses = trusting("10.0.0.0/8");
        assertEquals(ip("203.0.113.7"), addresses.resolve(ip("10.0.0.5"), List.of("192.0.2.1, 203.0.113.7")));
    }

    @Test
    void resolve_chainOfTrustedProxies_skipsThem() throws Exception {
        ClientAddresses addresses = trusting("10.0.0.0/8");
        assertEquals(ip("203.0.113.7"), addresses.resolve(ip("10.0.0.5"), List.of("203.0.113.7", "10.1.1.1")));
    }

    @Test
    void resolve_hopsWithPortsAndBrackets_areParsed() throws Exception {
        ClientAddresses addresses = trusting("10.0.0.0/8");
        assertEquals(ip("203.0.113.7"), addresses.resolve(ip("10.0.0.5"), List.of("203.0.113.7:4711")));
        assertEquals(ip("2001:db8::1"), addresses.resolve(ip("10.0.0.5"), List.of("[2001:db8::1]:443")));
    }

    @Test
    void resolve_garbledHop_stopsAtTheLastGoodAddress() throws Exception {
        ClientAddresses addresses = trusting("10.0.0.0/8");
        assertEquals(ip("10.0.0.5"), addresses.resolve(ip("10.0.0.5"), List.of("not-an-ip")));
    }
}
