// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.attachments;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import org.parley.server.config.ConfigException;
import org.parley.server.storage.StorageException;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.NoSuchUploadException;
import software.amazon.awssdk.services.s3.model.Part;

/**
 * Blobs in an S3-compatible object store ({@code attachments.store: s3}), so that several server
 * nodes share them and the disk of none fills up. An upload is an S3 multipart upload: each PATCH
 * is one part (the chunk size is S3's minimum part size), so a piece is either stored whole or not
 * at all (the piece is read whole into memory first: at most one chunk per running PATCH), and
 * the upload's offset is the sum of its stored parts. Finishing completes the multipart
 * upload into one object; deleting deletes the object or aborts the upload (S3 then discards its
 * parts).
 *
 * <p>Checksums are computed only where S3 requires them: the blob is ciphertext whose integrity the
 * recipient checks (MAC and digest), and several S3-compatible servers do not accept the SDK's
 * trailing checksums.
 */
final class S3BlobStore implements BlobStore {
    private final S3Client s3;
    private final String bucket;
    private final int chunkSize;

    S3BlobStore(AttachmentsConfig.S3 config, int chunkSize) {
        this.bucket = config.bucket();
        this.chunkSize = chunkSize;
        AwsCredentialsProvider credentials = config.accessKey().isEmpty()
                ? DefaultCredentialsProvider.builder().build()
                : StaticCredentialsProvider.create(AwsBasicCredentials.create(config.accessKey(), config.secretKey()));
        S3ClientBuilder builder = S3Client.builder()
                .region(Region.of(config.region()))
                .credentialsProvider(credentials)
                .httpClient(UrlConnectionHttpClient.builder().build())
                .forcePathStyle(config.pathStyle())
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
        if (!config.endpoint().isBlank()) {
            builder.endpointOverride(URI.create(config.endpoint()));
        }
        this.s3 = builder.build();
        try {
            s3.headBucket(b -> b.bucket(bucket));
        } catch (SdkException e) {
            s3.close();
            throw new ConfigException("attachments.store is s3 but bucket " + bucket + " cannot be reached at "
                    + (config.endpoint().isBlank() ? "AWS S3 (" + config.region() + ")" : config.endpoint()) + ": "
                    + e.getMessage() + "; create the bucket and check attachments.s3 and its credentials", e);
        }
    }

    @Override
    public String begin(String id) {
        return unavailable("starting an upload", () -> s3.createMultipartUpload(
                b -> b.bucket(bucket).key(id).contentType("application/octet-stream")).uploadId());
    }

    @Override
    public long offset(String id, String session) {
        return parts(id, session).stream().mapToLong(Part::size).sum();
    }

    @Override
    public void append(String id, String session, long offset, long length, InputStream in) throws IOException {
        int partNumber = Math.toIntExact(offset / chunkSize) + 1;
        // The whole piece (at most one chunk) is read before S3 sees any of it: a client that goes away
        // mid-piece then leaves no half-written part behind (some S3-compatible stores cannot list an
        // upload with one), and the SDK can retry a part from memory.
        byte[] piece;
        try {
            piece = in.readNBytes(Math.toIntExact(length));
        } catch (RuntimeException e) {
            // The web server's way of saying the client went away mid-piece.
            throw new IOException("the piece was cut off: " + e.getMessage(), e);
        }
        if (piece.length != length) {
            throw new IOException("the piece ended after " + piece.length + " of " + length + " bytes");
        }
        try {
            s3.uploadPart(b -> b.bucket(bucket).key(id).uploadId(session).partNumber(partNumber).contentLength(length),
                    RequestBody.fromBytes(piece));
        } catch (SdkException e) {
            throw new IOException("storing part " + partNumber + " failed: " + e.getMessage(), e);
        }
    }

    @Override
    public void complete(String id, String session) {
        List<CompletedPart> parts = parts(id, session).stream()
                .map(p -> CompletedPart.builder().partNumber(p.partNumber()).eTag(p.eTag()).build())
                .toList();
        unavailable("completing an upload", () -> s3.completeMultipartUpload(
                b -> b.bucket(bucket).key(id).uploadId(session).multipartUpload(m -> m.parts(parts))));
    }

    @Override
    public InputStream open(String id) throws IOException {
        try {
            return s3.getObject(b -> b.bucket(bucket).key(id));
        } catch (SdkException e) {
            throw new IOException("reading an attachment's object failed: " + e.getMessage(), e);
        }
    }

    @Override
    public void delete(String id, String session) {
        if (session != null) {
            try {
                s3.abortMultipartUpload(b -> b.bucket(bucket).key(id).uploadId(session));
            } catch (NoSuchUploadException completedOrAborted) {
                // Finished (then the object below is the blob) or already aborted.
            }
        }
        s3.deleteObject(b -> b.bucket(bucket).key(id));
    }

    @Override
    public String kind() {
        return "s3";
    }

    @Override
    public void close() {
        s3.close();
    }

    private List<Part> parts(String id, String session) {
        return unavailable("listing the parts of an upload", () -> listParts(id, session));
    }

    /** S3 failures become the storage failure clients see as 503 (retry later), like a database outage. */
    private static <T> T unavailable(String what, java.util.function.Supplier<T> call) {
        try {
            return call.get();
        } catch (SdkException e) {
            throw new StorageException(what + " in the S3 attachment store failed: " + e.getMessage(), e);
        }
    }

    private List<Part> listParts(String id, String session) {
        List<Part> out = new ArrayList<>();
        Integer marker = null;
        while (true) {
            Integer from = marker;
            var page = s3.listParts(b -> b.bucket(bucket).key(id).uploadId(session).partNumberMarker(from));
            out.addAll(page.parts());
            if (!Boolean.TRUE.equals(page.isTruncated())) {
                return out;
            }
            marker = page.nextPartNumberMarker();
        }
    }
}
