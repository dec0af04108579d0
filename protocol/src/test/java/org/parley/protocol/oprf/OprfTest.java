// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.protocol.oprf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.HexFormat;
import org.bouncycastle.crypto.hash2curve.HashToCurveProfile;
import org.bouncycastle.crypto.hash2curve.HashToEllipticCurve;
import org.bouncycastle.math.ec.ECPoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** RFC 9497 Appendix A.3.1 (P256-SHA256, OPRF mode) and RFC 9380 Appendix J.1.1 (P256_XMD:SHA-256_SSWU_RO_). */
class OprfTest {
    private static final HexFormat HEX = HexFormat.of();
    private final Oprf oprf = Oprf.p256Sha256();

    private static byte[] hex(String s) {
        return HEX.parseHex(s);
    }

    private BigInteger rfcKey() {
        return oprf.deriveKey(hex("a3".repeat(32)), hex("74657374206b6579"));
    }

    @Test
    void deriveKeyPairMatchesTheRfcSecretKey() {
        assertEquals("159749d750713afe245d2d39ccfaae8381c53ce92d098a9375ee70739c7ac0bf",
                HEX.formatHex(Oprf.serializeScalar(rfcKey())));
    }

    @ParameterizedTest(name = "RFC 9497 A.3.1 test vector {index}")
    @CsvSource({
            "00, 3338fa65ec36e0290022b48eb562889d89dbfa691d1cde91517fa222ed7ad364,"
                    + " 03723a1e5c09b8b9c18d1dcbca29e8007e95f14f4732d9346d490ffc195110368d,"
                    + " 030de02ffec47a1fd53efcdd1c6faf5bdc270912b8749e783c7ca75bb412958832,"
                    + " a0b34de5fa4c5b6da07e72af73cc507cceeb48981b97b7285fc375345fe495dd",
            "5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a, 3338fa65ec36e0290022b48eb562889d89dbfa691d1cde91517fa222ed7ad364,"
                    + " 03cc1df781f1c2240a64d1c297b3f3d16262ef5d4cf102734882675c26231b0838,"
                    + " 03a0395fe3828f2476ffcd1f4fe540e5a8489322d398be3c4e5a869db7fcb7c52c,"
                    + " c748ca6dd327f0ce85f4ae3a8cd6d4d5390bbb804c9e12dcf94f853fece3dcce"})
    void rfc9497OprfModeVectors(String input, String blind, String blindedElement, String evaluationElement,
                                String output) {
        BigInteger sk = rfcKey();
        Oprf.Blinded blinded = oprf.blind(hex(input), new BigInteger(1, hex(blind)));
        assertEquals(blindedElement, HEX.formatHex(blinded.blindedElement()));
        byte[] evaluated = oprf.blindEvaluate(sk, blinded.blindedElement());
        assertEquals(evaluationElement, HEX.formatHex(evaluated));
        assertEquals(output, HEX.formatHex(oprf.finalizeOutput(hex(input), blinded, evaluated)));
        assertEquals(output, HEX.formatHex(oprf.evaluate(sk, hex(input))));
    }

    @ParameterizedTest(name = "RFC 9380 J.1.1 msg {0}")
    @CsvSource({
            "'', 2c15230b26dbc6fc9a37051158c95b79656e17a1a920b11394ca91c44247d3e4,"
                    + " 8a7a74985cc5c776cdfe4b1f19884970453912e9d31528c060be9ab5c43e8415",
            "abc, 0bb8b87485551aa43ed54f009230450b492fead5f1cc91658775dac4a3388a0f,"
                    + " 5c41b3d0731a27a7b14bc0bf0ccded2d8751f83493404c84a88e71ffd424212e",
            "abcdef0123456789, 65038ac8f2b1def042a5df0b33b1f4eca6bff7cb0f9c6c1526811864e544ed80,"
                    + " cad44d40a656e7aff4002a8de287abc8ae0482b5ae825822bb870d6df9b56ca3",
            "q128, 4be61ee205094282ba8a2042bcb48d88dfbb609301c49aa8b078533dc65a0b5d,"
                    + " 98f8df449a072c4721d241a3b1236d3caccba603f916ca680f4539d2bfb3c29e",
            "a512, 457ae2981f70ca85d8e24c308b14db22f3e3862c5ea0f652ca38b5e49cd64bc5,"
                    + " ecb9f0eadc9aeed232dabc53235368c1394c78de05dd96893eefa62b0f4757dc"})
    void rfc9380P256HashToCurveVectors(String msg, String x, String y) {
        String message = switch (msg) {
            case "q128" -> "q128_" + "q".repeat(128);
            case "a512" -> "a512_" + "a".repeat(512);
            default -> msg;
        };
        HashToEllipticCurve h2c = HashToEllipticCurve.getInstance(HashToCurveProfile.P256_XMD_SHA_256,
                "QUUX-V01-CS02-with-P256_XMD:SHA-256_SSWU_RO_");
        ECPoint p = h2c.hashToCurve(message.getBytes(StandardCharsets.US_ASCII)).normalize();
        assertEquals(x, HEX.formatHex(Oprf.serializeScalar(p.getAffineXCoord().toBigInteger())));
        assertEquals(y, HEX.formatHex(Oprf.serializeScalar(p.getAffineYCoord().toBigInteger())));
    }

    @Test
    void aRandomBlindFinalizesToTheDirectEvaluation() {
        SecureRandom random = new SecureRandom();
        BigInteger sk = oprf.randomScalar(random);
        byte[] input = "+14155550100".getBytes(StandardCharsets.UTF_8);
        Oprf.Blinded blinded = oprf.blind(input, random);
        byte[] out = oprf.finalizeOutput(input, blinded, oprf.blindEvaluate(sk, blinded.blindedElement()));
        assertArrayEquals(oprf.evaluate(sk, input), out);
    }

    @Test
    void garbageElementsAreRefused() {
        BigInteger sk = rfcKey();
        assertThrows(IllegalArgumentException.class, () -> oprf.blindEvaluate(sk, new byte[33]));
        assertThrows(IllegalArgumentException.class, () -> oprf.blindEvaluate(sk, new byte[5]));
        byte[] badPrefix = new byte[33];
        badPrefix[0] = 5;
        badPrefix[32] = 1;
        assertThrows(IllegalArgumentException.class, () -> oprf.blindEvaluate(sk, badPrefix));
    }
}
