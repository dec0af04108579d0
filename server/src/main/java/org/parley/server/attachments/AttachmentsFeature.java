// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.attachments;

import io.helidon.webserver.http.HttpRouting;
import java.time.Instant;
import java.util.Set;
import org.parley.protocol.Limits;
import org.parley.server.feature.Feature;
import org.parley.server.feature.ServerContext;
import org.parley.server.http.DeviceAuthenticator;
import org.parley.server.storage.Purger;

/**
 * End-to-end encrypted attachments: the server keeps opaque ciphertext blobs (local files or an
 * S3-compatible store, {@code attachments.store}) for {@code attachments.retention}, handed out to
 * whoever holds a blob's capability token. The key never reaches the server: it travels with the
 * token inside the end-to-end message.
 */
public final class AttachmentsFeature implements Feature {
    private final AttachmentsConfig config;
    private final BlobStore blobs;
    private final AttachmentsRoutes routes;

    private AttachmentsFeature(AttachmentsConfig config, BlobStore blobs, AttachmentsRoutes routes) {
        this.config = config;
        this.blobs = blobs;
        this.routes = routes;
    }

    /**
     * Reads {@code attachments.*}, opens the blob store and registers the purge.
     *
     * @throws org.parley.server.config.ConfigException when the section is invalid or the S3 bucket unreachable
     */
    public static AttachmentsFeature create(ServerContext ctx, DeviceAuthenticator devices) {
        AttachmentsConfig config = AttachmentsConfig.from(ctx.config());
        BlobStore blobs = config.store() == AttachmentsConfig.Store.S3
                ? new S3BlobStore(config.s3(), Limits.ATTACHMENT_CHUNK_BYTES)
                : new LocalBlobStore(ctx.config().http().dataDir().resolve("attachments"));
        AttachmentService service = new AttachmentService(config, new JdbcAttachmentStore(ctx.database()), blobs,
                new CapabilityTokens(ctx.random()), ctx.clock(), Limits.ATTACHMENT_CHUNK_BYTES);
        ctx.purges().register(new Purger() {
            @Override
            public String name() {
                return "attachments";
            }

            @Override
            public long purge(Instant now) {
                return service.purge(now.toEpochMilli());
            }

            @Override
            public Set<String> tables() {
                return Set.of("attachments");
            }
        });
        return new AttachmentsFeature(config, blobs, new AttachmentsRoutes(service, devices));
    }

    /** Parses {@code attachments.*}, so that a bad value stops start-up before anything is opened. */
    public static void checkConfig(org.parley.server.config.ServerConfig config) {
        AttachmentsConfig.from(config);
    }

    /** This feature's part of the published policy. */
    public AttachmentsPolicy policy() {
        return new AttachmentsPolicy(config);
    }

    @Override
    public void routing(HttpRouting.Builder routing) {
        routes.register(routing);
    }

    @Override
    public void close() {
        blobs.close();
    }
}
