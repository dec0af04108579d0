// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.parley.protocol.Json;

/**
 * Checks a disclosure package on its own: every file the manifest lists has the SHA-256 it says,
 * no file is missing or extra, and {@code manifest.sig} is a valid Ed25519 signature of
 * {@code manifest.json} by the key in {@code legal-signing-key.pem} (or by an expected key).
 */
final class DisclosureVerifier {
    static final String MANIFEST = "manifest.json";
    static final String SIGNATURE = "manifest.sig";
    static final String KEY = "legal-signing-key.pem";

    /** The verdict: {@code problems} is empty when the package is intact. */
    record Result(List<String> problems, JsonNode manifest, String keyPem) {
        boolean ok() {
            return problems.isEmpty();
        }
    }

    private DisclosureVerifier() {}

    /** Verifies {@code zip}; with {@code expectedKeyPem} non-null, the package's key must be that key. */
    static Result verify(byte[] zip, String expectedKeyPem) {
        List<String> problems = new ArrayList<>();
        Map<String, byte[]> files;
        try {
            files = unzip(zip);
        } catch (IOException e) {
            return new Result(List.of("not a readable zip file: " + e.getMessage()), null, null);
        }
        byte[] manifestBytes = files.get(MANIFEST);
        byte[] signature = files.get(SIGNATURE);
        byte[] keyBytes = files.get(KEY);
        if (manifestBytes == null || signature == null || keyBytes == null) {
            return new Result(List.of("the package lacks " + MANIFEST + ", " + SIGNATURE + " or " + KEY), null, null);
        }
        String keyPem = new String(keyBytes, StandardCharsets.US_ASCII);
        JsonNode manifest;
        try {
            manifest = Json.lenient().readTree(manifestBytes);
        } catch (IOException e) {
            return new Result(List.of(MANIFEST + " is not JSON"), null, keyPem);
        }
        if (expectedKeyPem != null && !pemBody(expectedKeyPem).equals(pemBody(keyPem))) {
            problems.add("the package's signing key is not the key the server publishes");
        }
        try {
            Signature verifier = Signature.getInstance("Ed25519");
            verifier.initVerify(publicKey(expectedKeyPem != null ? expectedKeyPem : keyPem));
            verifier.update(manifestBytes);
            if (!verifier.verify(signature)) {
                problems.add("the signature over " + MANIFEST + " does not verify");
            }
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            problems.add("the signature cannot be checked: " + e.getMessage());
        }
        Set<String> listed = new java.util.HashSet<>();
        JsonNode entries = manifest.path("files");
        for (JsonNode f : entries) {
            String name = f.path("name").asText();
            listed.add(name);
            byte[] content = files.get(name);
            if (content == null) {
                problems.add("missing file " + name);
            } else if (!sha256(content).equals(f.path("sha256").asText())) {
                problems.add("SHA-256 of " + name + " does not match the manifest");
            }
        }
        for (String name : files.keySet()) {
            if (!listed.contains(name) && !name.equals(MANIFEST) && !name.equals(SIGNATURE)) {
                problems.add("file " + name + " is not in the manifest");
            }
        }
        return new Result(List.copyOf(problems), manifest, keyPem);
    }

    static Map<String, byte[]> unzip(byte[] zip) throws IOException {
        Map<String, byte[]> files = new LinkedHashMap<>();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
            for (ZipEntry e; (e = in.getNextEntry()) != null; ) {
                if (files.put(e.getName(), in.readAllBytes()) != null) {
                    throw new IOException("the zip holds " + e.getName() + " twice");
                }
            }
        }
        if (files.isEmpty()) {
            throw new IOException("no entries");
        }
        return files;
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static PublicKey publicKey(String pem) throws GeneralSecurityException {
        return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(pemBody(pem))));
    }

    private static String pemBody(String pem) {
        StringBuilder body = new StringBuilder();
        for (String line : pem.split("\\R")) {
            if (!line.startsWith("-----")) {
                body.append(line.strip());
            }
        }
        return body.toString();
    }
}
