// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.lookuplog;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.net.InetAddress;
import java.net.UnknownHostException;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;
import org.parley.server.config.LookupLogMode;

class IpShapingTest {

    private static InetAddress ip(String text) throws UnknownHostException {
        return InetAddress.getByName(text);
    }

    @Test
    void shape_fullIpv4_keepsAddress() throws Exception {
        assertEquals("203.0.113.7", IpShaping.shape(ip("203.0.113.7"), LookupLogMode.FULL));
    }

    @Test
    void shape_fullIpv6_isCompressedLowerCase() throws Exception {
        assertEquals("2001:db8:1::7", IpShaping.shape(ip("2001:DB8:1:0:0:0:0:7"), LookupLogMode.FULL));
    }

    @Test
    void shape_truncatedIpv4_keepsSlash24() throws Exception {
        assertEquals("203.0.113.0", IpShaping.shape(ip("203.0.113.7"), LookupLogMode.TRUNCATED_IP));
    }

    @Test
    void shape_truncatedIpv6_keepsSlash48() throws Exception {
        assertEquals("2001:db8:1::", IpShaping.shape(ip("2001:db8:1:2:3:4:5:6"), LookupLogMode.TRUNCATED_IP));
    }

    @Test
    void shape_ipv4MappedIpv6_isTreatedAsIpv4() throws Exception {
        // Built with Inet6Address so that Java does not convert it to IPv4 for us.
        byte[] mapped = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xFF, (byte) 0xFF, (byte) 203, 0, 113, 7};
        InetAddress address = java.net.Inet6Address.getByAddress(null, mapped, -1);
        assertEquals("203.0.113.7", IpShaping.shape(address, LookupLogMode.FULL));
        assertEquals("203.0.113.0", IpShaping.shape(address, LookupLogMode.TRUNCATED_IP));
    }

    @Test
    void shape_noIpOrOffOrUnknownAddress_isNull() throws Exception {
        assertNull(IpShaping.shape(ip("203.0.113.7"), LookupLogMode.NO_IP));
        assertNull(IpShaping.shape(ip("203.0.113.7"), LookupLogMode.OFF));
        assertNull(IpShaping.shape(null, LookupLogMode.FULL));
    }

    @Test
    void format_rfc5952Cases_matchTheStandard() {
        assertEquals("::", IpShaping.format(new byte[16]));
        assertEquals("::1", IpShaping.format(bytes("0000:0000:0000:0000:0000:0000:0000:0001")));
        assertEquals("2001:db8::1:0:0:1", IpShaping.format(bytes("2001:0db8:0000:0000:0001:0000:0000:0001")));
        assertEquals("2001:db8:0:1:1:1:1:1", IpShaping.format(bytes("2001:0db8:0000:0001:0001:0001:0001:0001")));
        assertEquals("2001:0:0:1::1", IpShaping.format(bytes("2001:0000:0000:0001:0000:0000:0000:0001")));
    }

    @Property
    void format_anyIpv6_parsesBackToTheSameBytes(@ForAll @Size(16) byte[] address) throws Exception {
        byte[] parsed = InetAddress.getByName(IpShaping.format(address)).getAddress();
        // Java itself turns ::ffff:a.b.c.d into IPv4, so compare both sides unmapped.
        assertArrayEquals(IpShaping.unmapped(address), IpShaping.unmapped(parsed));
    }

    private static byte[] bytes(String fullForm) {
        String hex = fullForm.replace(":", "");
        byte[] out = new byte[16];
        for (int i = 0; i < 16; i++) {
            out[i] = (byte) Integer.parseInt(hex.substring(2 * i, 2 * i + 2), 16);
        }
        return out;
    }
}
