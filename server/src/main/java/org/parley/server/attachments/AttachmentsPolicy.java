// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.attachments;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.parley.server.transparency.DataCategory;
import org.parley.server.transparency.DataField;
import org.parley.server.transparency.PolicyContributor;
import org.parley.server.transparency.Retention;

/** The attachments feature's part of the published policy, from the live {@code attachments} section. */
public final class AttachmentsPolicy implements PolicyContributor {
    private final AttachmentsConfig config;

    public AttachmentsPolicy(AttachmentsConfig config) {
        this.config = config;
    }

    @Override
    public List<DataCategory> categories() {
        String where = config.store() == AttachmentsConfig.Store.S3
                ? "the S3-compatible object store's operator (bucket " + config.s3().bucket() + ")"
                : "whoever operates the server host (files under the data directory)";
        return List.of(DataCategory.of("attachments",
                "Attachments (photos, files) sent in end-to-end encrypted messages, as ciphertext the server cannot"
                        + " decrypt: each is encrypted on the sender's device with a fresh key that travels only inside"
                        + " the end-to-end encrypted message.",
                List.of(new DataField("blob", "the encrypted attachment (its length shows the attachment's size,"
                                + " rounded up to 16 bytes, plus 48 bytes)"),
                        new DataField("size", "the ciphertext's length in bytes"),
                        new DataField("created_at, completed_at, expires_at", "when the upload started and finished,"
                                + " and when the blob will be deleted (milliseconds)"),
                        new DataField("token hashes", "SHA-256 of the upload and download tokens (capabilities);"
                                + " the tokens themselves are not stored")),
                Retention.iso(config.retention()) + " (attachments.retention) after the upload finished or the"
                        + " attachment was last sent again (renewed); unfinished uploads "
                        + Retention.iso(config.uploadTtl()) + " (attachments.upload-ttl) after they started; then the"
                        + " blob is deleted from the store and its row from the database",
                List.of("anyone holding the blob's download token, which only the sender and the message's recipients"
                        + " receive (inside the end-to-end encrypted message); they also hold the key", where),
                "Not recorded: which account or device uploaded a blob (uploading needs a registered device, but the"
                        + " server keeps no link between the device and the blob), who downloaded it, and from which"
                        + " address. While a request runs the server necessarily sees the uploading device and the"
                        + " downloader's IP address; neither is written to its database or logs."));
    }

    @Override
    public Map<String, String> settings() {
        Map<String, String> s = new LinkedHashMap<>();
        s.put("attachments.store", config.store() == AttachmentsConfig.Store.S3 ? "s3" : "local");
        s.put("attachments.max-size", Long.toString(config.maxSize()));
        s.put("attachments.retention", Retention.iso(config.retention()));
        s.put("attachments.upload-ttl", Retention.iso(config.uploadTtl()));
        return s;
    }
}
