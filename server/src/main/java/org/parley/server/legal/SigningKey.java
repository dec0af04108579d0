// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.legal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.HexFormat;

/**
 * The server's Ed25519 legal signing key. Generated at first start into the data directory: the
 * private key as PKCS#8 PEM in {@code legal-signing-key.pem} (mode 0600 from creation), the public
 * key as SubjectPublicKeyInfo PEM in {@code legal-signing-key.pub.pem}. The public key is published
 * so that a recipient can check a package came from this server unaltered.
 */
final class SigningKey {
    static final String PRIVATE_FILE = "legal-signing-key.pem";
    static final String PUBLIC_FILE = "legal-signing-key.pub.pem";
    private static final String ALGORITHM = "Ed25519";
    private static final System.Logger LOG = System.getLogger(SigningKey.class.getName());

    private final PrivateKey privateKey;
    private final PublicKey publicKey;

    private SigningKey(PrivateKey privateKey, PublicKey publicKey) {
        this.privateKey = privateKey;
        this.publicKey = publicKey;
    }

    /** Loads the key pair from {@code dataDir}, generating it if neither file exists. */
    public static SigningKey loadOrCreate(Path dataDir, SecureRandom random) {
        Path priv = dataDir.resolve(PRIVATE_FILE);
        Path pub = dataDir.resolve(PUBLIC_FILE);
        try {
            if (!Files.exists(priv) && !Files.exists(pub)) {
                KeyPairGenerator generator = KeyPairGenerator.getInstance(ALGORITHM);
                generator.initialize(255, random);
                KeyPair pair = generator.generateKeyPair();
                // Private key first: a crash in between leaves no public key that nothing can sign for.
                writeOwnerOnly(priv, pem("PRIVATE KEY", pair.getPrivate().getEncoded()));
                writeOwnerOnly(pub, pem("PUBLIC KEY", pair.getPublic().getEncoded()));
                LOG.log(System.Logger.Level.INFO, "Created the legal signing key in " + priv);
                return new SigningKey(pair.getPrivate(), pair.getPublic());
            }
            KeyFactory factory = KeyFactory.getInstance(ALGORITHM);
            SigningKey key = new SigningKey(
                    factory.generatePrivate(new PKCS8EncodedKeySpec(unpem(Files.readString(priv)))),
                    factory.generatePublic(new X509EncodedKeySpec(unpem(Files.readString(pub)))));
            byte[] probe = "parley legal signing key check".getBytes(StandardCharsets.US_ASCII);
            if (!verify(key.publicKey, probe, key.sign(probe))) {
                throw new IllegalStateException(pub + " is not the public half of " + priv);
            }
            return key;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or write the legal signing key in " + dataDir + ": "
                    + e.getMessage(), e);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalStateException("the legal signing key in " + dataDir + " is unusable (" + e.getMessage()
                    + "); restore it from backup, or move both files away to create a new one", e);
        }
    }

    public byte[] sign(byte[] data) {
        try {
            Signature s = Signature.getInstance(ALGORITHM);
            s.initSign(privateKey);
            s.update(data);
            return s.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Ed25519 signing failed", e);
        }
    }

    /** True when {@code signature} is {@code key}'s Ed25519 signature of {@code data}. */
    public static boolean verify(PublicKey key, byte[] data, byte[] signature) {
        try {
            Signature s = Signature.getInstance(ALGORITHM);
            s.initVerify(key);
            s.update(data);
            return s.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    /** Parses a SubjectPublicKeyInfo PEM as an Ed25519 public key. */
    public static PublicKey publicKeyFromPem(String pem) throws GeneralSecurityException {
        return KeyFactory.getInstance(ALGORITHM).generatePublic(new X509EncodedKeySpec(unpem(pem)));
    }

    public String publicKeyPem() {
        return pem("PUBLIC KEY", publicKey.getEncoded());
    }

    /** SHA-256 of the public key's DER encoding, hex: a short fingerprint to compare out of band. */
    public String fingerprint() {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(publicKey.getEncoded()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    static byte[] unpem(String pem) {
        StringBuilder body = new StringBuilder();
        for (String line : pem.split("\\R")) {
            if (!line.startsWith("-----") && !line.isBlank()) {
                body.append(line.strip());
            }
        }
        return Base64.getDecoder().decode(body.toString());
    }

    /** Creates the file with mode 0600 in the same call that creates it, then renames it into place. */
    static void writeOwnerOnly(Path target, String content) throws IOException {
        Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        if (Files.getFileStore(target.getParent()).supportsFileAttributeView("posix")) {
            Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } else {
            Files.createFile(tmp);
        }
        Files.writeString(tmp, content, StandardCharsets.US_ASCII);
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
