// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.legal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.parley.server.config.ServerConfig;

/**
 * Builds the zip handed to the authority: the cover statement, JSON and CSV per category, the
 * public signing key, {@code manifest.json} (SHA-256 of each of those files) and
 * {@code manifest.sig}, the raw 64-byte Ed25519 signature of the manifest's exact bytes.
 */
final class DisclosurePackage {
    static final String FORMAT = "parley-disclosure/1";
    static final String MANIFEST = "manifest.json";
    static final String SIGNATURE = "manifest.sig";
    static final String KEY = "legal-signing-key.pem";
    static final String COVER = "cover-statement.txt";

    /** The zip and its SHA-256 (hex). */
    record Built(byte[] zip, String sha256, Outcome outcome) {}

    private DisclosurePackage() {}

    static Built build(LegalRequest request, Disclosure d, ServerConfig config, SigningKey key, Instant producedAt,
                       String producedBy) {
        Outcome outcome = d.hasData() ? Outcome.PRODUCED_WITH_DATA : Outcome.PRODUCED_WITHOUT_DATA;
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put(COVER, CoverStatement.write(request, d, config, producedAt, producedBy).getBytes(StandardCharsets.UTF_8));
        files.putAll(PackageFiles.forCategories(d));
        files.put(KEY, key.publicKeyPem().getBytes(StandardCharsets.US_ASCII));

        Map<String, Object> manifest = new LinkedHashMap<>();
        manifest.put("format", FORMAT);
        manifest.put("requestId", request.id());
        manifest.put("type", request.type().wire());
        manifest.put("authority", request.authority());
        manifest.put("reference", request.reference());
        manifest.put("received", request.received().toString());
        manifest.put("handles", request.scope().handles());
        manifest.put("from", request.scope().from().toString());
        manifest.put("until", request.scope().until().toString());
        manifest.put("categories", d.categories().stream().sorted().map(LegalCategory::wire).toList());
        manifest.put("outcome", outcome.wire());
        manifest.put("producedAt", producedAt.toString());
        manifest.put("producedBy", producedBy);
        manifest.put("signingKeySha256", key.fingerprint());
        List<Map<String, Object>> listed = new ArrayList<>();
        files.forEach((name, bytes) -> {
            Map<String, Object> f = new LinkedHashMap<>();
            f.put("name", name);
            f.put("bytes", bytes.length);
            f.put("sha256", sha256(bytes));
            listed.add(f);
        });
        manifest.put("files", listed);
        byte[] manifestBytes = PackageFiles.json(manifest);
        files.put(MANIFEST, manifestBytes);
        files.put(SIGNATURE, key.sign(manifestBytes));

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(out, StandardCharsets.UTF_8)) {
            for (Map.Entry<String, byte[]> f : files.entrySet()) {
                ZipEntry entry = new ZipEntry(f.getKey());
                entry.setTime(producedAt.toEpochMilli());
                zip.putNextEntry(entry);
                zip.write(f.getValue());
                zip.closeEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        byte[] bytes = out.toByteArray();
        return new Built(bytes, sha256(bytes), outcome);
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
    }
}
