// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.client.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.parley.client.LinkCode;
import org.signal.libsignal.protocol.IdentityKeyPair;
import org.signal.libsignal.protocol.ecc.ECPrivateKey;

/** The link message under real libsignal HPKE: only the new device's key and the right provisioning id open it. */
class LinkMessageTest {
    private final IdentityKeyPair identity = IdentityKeyPair.generate();
    private final LinkMessage message = new LinkMessage(LinkMessage.VERSION, "account", "+12025550143",
            identity.serialize(), "code-0123456789012345678901234567890123456", List.of("http://127.0.0.1:8080"), 1,
            List.of(new LinkMessage.KnownDevice(1, 4711)), null, null);

    @Test
    void sealed_opensWithTheEphemeralKeyAndId_only() throws Exception {
        ECPrivateKey ephemeral = ECPrivateKey.generate();
        byte[] sealed = message.seal(ephemeral.publicKey(), "id-1");

        LinkMessage opened = LinkMessage.open(sealed, ephemeral, "id-1");
        assertEquals(message.accountId(), opened.accountId());
        assertArrayEquals(identity.serialize(), opened.identityKeyPair());
        assertEquals(message.devices(), opened.devices());

        assertThrows(DecryptionException.class, () -> LinkMessage.open(sealed, ephemeral, "id-2"),
                "sealed for another provisioning socket");
        assertThrows(DecryptionException.class, () -> LinkMessage.open(sealed, ECPrivateKey.generate(), "id-1"),
                "someone else's key");
        assertFalse(new String(sealed, StandardCharsets.ISO_8859_1).contains(message.provisioningCode()),
                "the code is not in the clear");
    }

    @Test
    void linkCode_roundTrips_andFitsAQrCode() {
        ECPrivateKey ephemeral = ECPrivateKey.generate();
        LinkCode code = new LinkCode("TBvhWzaLe48dohT-ALj9RQ", ephemeral.publicKey());
        LinkCode parsed = LinkCode.parse(code.uri());
        assertEquals(code.provisioningId(), parsed.provisioningId());
        assertEquals(code.publicKey(), parsed.publicKey());
        // Version 7 at error correction M holds 122 bytes.
        assertEquals(true, code.uri().length() <= 122, code.uri());
        assertThrows(IllegalArgumentException.class, () -> LinkCode.parse("parley://link?uuid=x&pub=AAAA"));
        assertThrows(IllegalArgumentException.class, () -> LinkCode.parse("https://example.org"));
    }
}
