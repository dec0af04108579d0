// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.attachments;

import java.time.Duration;
import org.parley.server.config.ConfigException;
import org.parley.server.config.ConfigTree;
import org.parley.server.config.ServerConfig;

/**
 * The {@code attachments} section, parsed by this feature (the config package does not know it).
 *
 * @param maxSize   the largest ciphertext an upload may declare, in bytes
 * @param retention how long a finished blob lives after its upload or its last renewal
 * @param uploadTtl how long an upload may stay unfinished; its token and partial blob go then
 */
public record AttachmentsConfig(Store store, long maxSize, Duration retention, Duration uploadTtl, S3 s3) {

    public enum Store {
        LOCAL, S3
    }

    /** An S3-compatible object store. The secret key is never printed. */
    public record S3(String endpoint, String bucket, String region, boolean pathStyle, String accessKey,
                     String secretKey) {
        @Override
        public String toString() {
            return "S3[endpoint=" + endpoint + ", bucket=" + bucket + ", region=" + region + ", pathStyle=" + pathStyle
                    + ", accessKey=" + (accessKey.isEmpty() ? "" : "***") + ", secretKey="
                    + (secretKey.isEmpty() ? "" : "***") + "]";
        }
    }

    /**
     * Reads {@code attachments.*}.
     *
     * @throws ConfigException when a value breaks its rule, or the S3 store lacks its bucket
     */
    public static AttachmentsConfig from(ServerConfig config) {
        ConfigTree t = config.tree();
        Store store = t.choice("attachments.store", "local", "s3").equals("s3") ? Store.S3 : Store.LOCAL;
        S3 s3 = new S3(t.text("attachments.s3.endpoint"), t.text("attachments.s3.bucket"), t.text("attachments.s3.region"),
                t.bool("attachments.s3.path-style"), t.text("attachments.s3.access-key"), t.text("attachments.s3.secret-key"));
        if (store == Store.S3) {
            if (s3.bucket().isBlank()) {
                throw new ConfigException("attachments.store is s3 but attachments.s3.bucket is empty; name the bucket"
                        + " the server may write its blobs to");
            }
            if (s3.region().isBlank()) {
                throw new ConfigException("attachments.store is s3 but attachments.s3.region is empty; use us-east-1"
                        + " if your S3-compatible store ignores regions");
            }
            if (s3.accessKey().isEmpty() != s3.secretKey().isEmpty()) {
                throw new ConfigException("set both attachments.s3.access-key and attachments.s3.secret-key, or neither"
                        + " (then the AWS SDK's default credential chain is used)");
            }
        }
        return new AttachmentsConfig(store, t.integer("attachments.max-size", 1, Integer.MAX_VALUE),
                t.duration("attachments.retention"), t.duration("attachments.upload-ttl"), s3);
    }
}
