// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.protocol.oprf;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.hash2curve.HashToCurveProfile;
import org.bouncycastle.crypto.hash2curve.HashToEllipticCurve;
import org.bouncycastle.crypto.hash2curve.OPRFHashToScalar;
import org.bouncycastle.math.ec.ECCurve;
import org.bouncycastle.math.ec.ECPoint;

/**
 * The OPRF of RFC 9497, suite P256-SHA256, OPRF mode (0x00): {@link #blind}, {@link #blindEvaluate}
 * and {@link #finalizeOutput}, plus the server's unblinded {@link #evaluate} and
 * {@link #deriveKey}. Hash-to-curve, hash-to-scalar and every curve operation are BouncyCastle's
 * ({@code org.bouncycastle.crypto.hash2curve}, {@link ECPoint}); this class only strings them
 * together as the RFC says. Elements travel as 33-byte compressed SEC1 points, scalars as 32 bytes.
 *
 * <p>Thread-safe: the BouncyCastle objects it holds are used read-only per call.
 */
public final class Oprf {
    /** contextString = "OPRFV1-" || I2OSP(mode, 1) || "-" || identifier (RFC 9497 section 3.1). */
    private static final String CONTEXT = "OPRFV1-\u0000-P256-SHA256";
    /** Bytes of a serialized element (compressed point) and of a serialized scalar. */
    public static final int ELEMENT_SIZE = 33;
    public static final int SCALAR_SIZE = 32;
    /** Bytes of an OPRF output (SHA-256). */
    public static final int OUTPUT_SIZE = 32;

    private static final Oprf INSTANCE = new Oprf();

    private final HashToEllipticCurve hashToGroup;
    private final ECCurve curve;
    private final BigInteger order;

    private Oprf() {
        this.hashToGroup = HashToEllipticCurve.getInstance(HashToCurveProfile.P256_XMD_SHA_256, "HashToGroup-" + CONTEXT);
        // The curve hash-to-curve maps onto: every element is decoded on it, so all points share one instance.
        this.curve = hashToGroup.hashToCurve(new byte[0]).getCurve();
        this.order = curve.getOrder();
    }

    /** The P256-SHA256 OPRF. */
    public static Oprf p256Sha256() {
        return INSTANCE;
    }

    /** A client's blinded input: keep {@code blind} to finalize; send {@code blindedElement}. */
    public record Blinded(BigInteger blind, byte[] blindedElement) {}

    // ---- client ----------------------------------------------------------------------------

    /** Blind(input) with a fresh random blind. */
    public Blinded blind(byte[] input, SecureRandom random) {
        return blind(input, randomScalar(random));
    }

    /** Blind(input) with the given blind (tests reproduce the RFC vectors with it). */
    public Blinded blind(byte[] input, BigInteger blind) {
        checkScalar(blind);
        ECPoint inputElement = hashToGroup(input);
        return new Blinded(blind, serialize(inputElement.multiply(blind)));
    }

    /** Finalize(input, blind, evaluatedElement): the 32-byte OPRF output. */
    public byte[] finalizeOutput(byte[] input, Blinded blinded, byte[] evaluatedElement) {
        ECPoint evaluated = deserialize(evaluatedElement);
        ECPoint unblinded = evaluated.multiply(blinded.blind().modInverse(order)).normalize();
        return finalHash(input, serialize(unblinded));
    }

    // ---- server ----------------------------------------------------------------------------

    /**
     * BlindEvaluate(skS, blindedElement).
     *
     * @throws IllegalArgumentException when {@code blindedElement} is not a valid non-identity element
     */
    public byte[] blindEvaluate(BigInteger secretKey, byte[] blindedElement) {
        checkScalar(secretKey);
        return serialize(deserialize(blindedElement).multiply(secretKey));
    }

    /** Evaluate(skS, input): the output a client would finalize to, computed directly by the key holder. */
    public byte[] evaluate(BigInteger secretKey, byte[] input) {
        checkScalar(secretKey);
        return finalHash(input, serialize(hashToGroup(input).multiply(secretKey)));
    }

    /** DeriveKeyPair(seed, info) of RFC 9497 section 3.2.1; only the secret scalar (OPRF mode has no public key). */
    public BigInteger deriveKey(byte[] seed, byte[] info) {
        byte[] deriveInput = concat(seed, i2osp2(info.length), info);
        OPRFHashToScalar hashToScalar = new OPRFHashToScalar(curve, new SHA256Digest(), 128);
        byte[] dst = ("DeriveKeyPair" + CONTEXT).getBytes(StandardCharsets.UTF_8);
        for (int counter = 0; counter <= 255; counter++) {
            BigInteger sk = hashToScalar.process(concat(deriveInput, new byte[] {(byte) counter}), dst);
            if (sk.signum() != 0) {
                return sk;
            }
        }
        throw new IllegalStateException("DeriveKeyPairError");
    }

    /** A uniformly random non-zero scalar, e.g. a new server key. */
    public BigInteger randomScalar(SecureRandom random) {
        while (true) {
            BigInteger k = new BigInteger(order.bitLength(), random);
            if (k.signum() > 0 && k.compareTo(order) < 0) {
                return k;
            }
        }
    }

    /** A scalar as the RFC serializes it: 32 bytes big-endian. */
    public static byte[] serializeScalar(BigInteger scalar) {
        byte[] raw = scalar.toByteArray();
        byte[] out = new byte[SCALAR_SIZE];
        int n = Math.min(raw.length, SCALAR_SIZE);
        System.arraycopy(raw, raw.length - n, out, SCALAR_SIZE - n, n);
        return out;
    }

    /** The inverse of {@link #serializeScalar}. */
    public BigInteger deserializeScalar(byte[] bytes) {
        if (bytes.length != SCALAR_SIZE) {
            throw new IllegalArgumentException("a scalar is " + SCALAR_SIZE + " bytes");
        }
        BigInteger k = new BigInteger(1, bytes);
        checkScalar(k);
        return k;
    }

    /**
     * HashToGroup(input) serialized: the unblinded element a blinded one hides. Only for checks that it
     * never reaches the server (tests); the protocol itself never sends it.
     */
    public byte[] inputElement(byte[] input) {
        return serialize(hashToGroup(input));
    }

    // ---- the RFC's building blocks -----------------------------------------------------------

    /** HashToGroup: hash_to_curve with P256_XMD:SHA-256_SSWU_RO_ and DST "HashToGroup-" || contextString. */
    ECPoint hashToGroup(byte[] input) {
        ECPoint p = hashToGroup.hashToCurve(input).normalize();
        if (p.isInfinity()) {
            throw new IllegalArgumentException("InvalidInputError: the input hashes to the identity");
        }
        return p;
    }

    private ECPoint deserialize(byte[] element) {
        if (element == null || element.length != ELEMENT_SIZE) {
            throw new IllegalArgumentException("an element is a " + ELEMENT_SIZE + "-byte compressed P-256 point");
        }
        ECPoint p;
        try {
            p = curve.decodePoint(element);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("not a point on P-256", e);
        }
        if (p.isInfinity() || !p.isValid()) {
            throw new IllegalArgumentException("not a valid non-identity P-256 point");
        }
        return p;
    }

    private static byte[] serialize(ECPoint p) {
        return p.normalize().getEncoded(true);
    }

    private byte[] finalHash(byte[] input, byte[] element) {
        byte[] hashInput = concat(i2osp2(input.length), input, i2osp2(element.length), element,
                "Finalize".getBytes(StandardCharsets.US_ASCII));
        try {
            return MessageDigest.getInstance("SHA-256").digest(hashInput);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
    }

    private void checkScalar(BigInteger k) {
        if (k.signum() <= 0 || k.compareTo(order) >= 0) {
            throw new IllegalArgumentException("a scalar must be in 1..order-1");
        }
    }

    private static byte[] i2osp2(int n) {
        if (n > 0xFFFF) {
            throw new IllegalArgumentException("longer than 65535 bytes");
        }
        return new byte[] {(byte) (n >>> 8), (byte) n};
    }

    private static byte[] concat(byte[]... parts) {
        int len = 0;
        for (byte[] p : parts) {
            len += p.length;
        }
        byte[] out = new byte[len];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }
}
