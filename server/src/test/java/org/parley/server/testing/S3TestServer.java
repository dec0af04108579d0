// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.testing;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStoreContext;
import org.parley.testing.Eventually;
import java.time.Duration;

/**
 * A real S3-compatible server for the attachment tests: s3proxy in this process on a random loopback
 * port, storing objects as files under {@code dir} (so a test can scan them), with one bucket.
 * S3 signatures are checked against the fixed test credentials.
 */
public final class S3TestServer implements AutoCloseable {
    public static final String BUCKET = "parley-attachments";
    private static final String ACCESS_KEY = "parley-test";
    private static final String SECRET_KEY = "parley-test-secret";

    private final S3Proxy proxy;
    private final BlobStoreContext context;
    private final Path dir;

    private S3TestServer(S3Proxy proxy, BlobStoreContext context, Path dir) {
        this.proxy = proxy;
        this.context = context;
        this.dir = dir;
    }

    public static S3TestServer start(Path dir) throws Exception {
        Files.createDirectories(dir);
        Properties properties = new Properties();
        properties.setProperty("jclouds.filesystem.basedir", dir.toString());
        BlobStoreContext context = ContextBuilder.newBuilder("filesystem").credentials(ACCESS_KEY, SECRET_KEY)
                .overrides(properties).build(BlobStoreContext.class);
        S3Proxy proxy = S3Proxy.builder().blobStore(context.getBlobStore()).endpoint(URI.create("http://127.0.0.1:0"))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY).build();
        proxy.start();
        Eventually.eventually(() -> "STARTED".equals(proxy.getState()), Duration.ofSeconds(30), "s3proxy started");
        context.getBlobStore().createContainerInLocation(null, BUCKET);
        return new S3TestServer(proxy, context, dir);
    }

    public String endpoint() {
        return "http://127.0.0.1:" + proxy.getPort();
    }

    /** Where the server keeps its objects (and the parts of unfinished multipart uploads). */
    public Path storage() {
        return dir;
    }

    /** The server configuration that puts attachments into this store, as {@code PARLEY_*} variables. */
    public Map<String, String> env() {
        return Map.of("PARLEY_ATTACHMENTS_STORE", "s3", "PARLEY_ATTACHMENTS_S3_ENDPOINT", endpoint(),
                "PARLEY_ATTACHMENTS_S3_BUCKET", BUCKET, "PARLEY_ATTACHMENTS_S3_ACCESS_KEY", ACCESS_KEY,
                "PARLEY_ATTACHMENTS_S3_SECRET_KEY", SECRET_KEY);
    }

    @Override
    public void close() throws Exception {
        try {
            proxy.stop();
        } finally {
            context.close();
        }
    }
}
