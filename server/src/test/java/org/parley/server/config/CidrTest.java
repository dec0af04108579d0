// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.config;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class CidrTest {
    @Test
    void contains_v4AndV6Networks_matchOnlyInside() {
        Cidr v4 = Cidr.parse("10.1.0.0/16");
        assertTrue(v4.contains(Cidr.literal("10.1.200.3", "t")));
        assertFalse(v4.contains(Cidr.literal("10.2.0.1", "t")));
        Cidr v6 = Cidr.parse("2001:db8::/32");
        assertTrue(v6.contains(Cidr.literal("2001:db8:ffff::1", "t")));
        assertFalse(v6.contains(Cidr.literal("10.1.0.1", "t")));
    }

    @Test
    void literal_hostName_isRefusedWithoutDns() {
        assertThrows(ConfigException.class, () -> Cidr.literal("localhost.example", "t"));
    }

    @Test
    void isLoopbackHost_knowsLoopbackForms() {
        assertTrue(Cidr.isLoopbackHost("127.0.0.1"));
        assertTrue(Cidr.isLoopbackHost("::1"));
        assertTrue(Cidr.isLoopbackHost("localhost"));
        assertFalse(Cidr.isLoopbackHost("0.0.0.0"));
        assertFalse(Cidr.isLoopbackHost("192.0.2.1"));
    }
}
