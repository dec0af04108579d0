// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.attachments;

import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.parley.protocol.AttachmentRenewal;
import org.parley.protocol.AttachmentUpload;
import org.parley.server.errors.InvalidRequest;
import org.parley.server.errors.InvalidState;
import org.parley.server.errors.NotFound;
import org.parley.server.errors.PayloadTooLarge;

/**
 * Attachment blobs: resumable uploads (create, then PATCH pieces at the offset the server reports),
 * downloads, renewals and expiry, each authorised by a capability token rather than by an account.
 *
 * <p>A wrong token, an unknown id and an expired blob all get the same 404: a token holder learns
 * nothing about blobs it may not read, and nobody learns whether an id ever existed.
 */
final class AttachmentService {
    private static final System.Logger LOG = System.getLogger(AttachmentService.class.getName());
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{22}");
    private static final String GONE = "no such attachment: it expired, was never uploaded, or the token is wrong";

    private final AttachmentsConfig config;
    private final JdbcAttachmentStore rows;
    private final BlobStore blobs;
    private final CapabilityTokens tokens;
    private final Clock clock;
    private final int chunkSize;
    /** Uploads with a PATCH running: a second PATCH of one upload at the same time is refused. */
    private final Set<String> busy = ConcurrentHashMap.newKeySet();

    AttachmentService(AttachmentsConfig config, JdbcAttachmentStore rows, BlobStore blobs, CapabilityTokens tokens,
                      Clock clock, int chunkSize) {
        this.config = config;
        this.rows = rows;
        this.blobs = blobs;
        this.tokens = tokens;
        this.clock = clock;
        this.chunkSize = chunkSize;
    }

    /** Where an upload stands: the next piece starts at {@code offset}. */
    record Progress(String id, long offset, long size, boolean complete) {}

    /** A finished blob to send. */
    record Blob(long size, InputStream content) {}

    /** Starts an upload of {@code size} ciphertext bytes. The caller is authenticated; it is not recorded. */
    AttachmentUpload create(long size) {
        if (size > config.maxSize()) {
            throw new PayloadTooLarge("an attachment is at most " + config.maxSize() + " bytes (attachments.max-size);"
                    + " this one has " + size);
        }
        String id = tokens.id();
        String uploadToken = tokens.issue();
        String downloadToken = tokens.issue();
        long now = clock.millis();
        long deadline = now + config.uploadTtl().toMillis();
        String session = blobs.begin(id);
        rows.insert(new AttachmentRow(id, CapabilityTokens.hash(uploadToken), CapabilityTokens.hash(downloadToken), size,
                session, now, null, deadline));
        return new AttachmentUpload(id, uploadToken, downloadToken, size, chunkSize, deadline);
    }

    /** The upload's offset (HEAD / GET of the upload). */
    Progress progress(String id, String uploadToken) {
        AttachmentRow row = upload(id, uploadToken);
        return new Progress(id, row.complete() ? row.size() : blobs.offset(id, row.session()), row.size(), row.complete());
    }

    /**
     * Stores one piece: {@code length} bytes at {@code offset}, which must be the upload's offset;
     * every piece but the last is exactly the chunk size. The last piece finishes the blob, which then
     * lives for {@code attachments.retention}.
     */
    Progress append(String id, String uploadToken, long offset, long length, InputStream body) {
        AttachmentRow row = upload(id, uploadToken);
        if (row.complete()) {
            throw new InvalidState("upload_complete", "this attachment is already uploaded completely");
        }
        if (!busy.add(id)) {
            throw new InvalidState("upload_busy", "another request is uploading to this attachment now; wait for it"
                    + " and ask for the offset (HEAD) again");
        }
        try {
            long stored = blobs.offset(id, row.session());
            if (offset != stored) {
                throw new InvalidState("offset_mismatch", "the upload is at offset " + stored + ", not " + offset
                        + "; continue from " + stored);
            }
            long expected = Math.min(chunkSize, row.size() - stored);
            if (length != expected) {
                throw new InvalidRequest("a piece at offset " + offset + " must carry exactly " + expected + " bytes"
                        + " (pieces are " + chunkSize + " bytes, the last one the rest); this one has " + length);
            }
            try {
                blobs.append(id, row.session(), offset, length, body);
            } catch (IOException | RuntimeException e) {
                if (e instanceof org.parley.server.errors.ServiceException refusal) {
                    throw refusal;
                }
                // The client went away mid-piece, or the store failed; HEAD tells where to resume.
                throw new InvalidState("upload_interrupted", "the piece was not stored whole; ask for the offset"
                        + " (HEAD) and continue from there");
            }
            long now = clock.millis();
            if (stored + length == row.size()) {
                blobs.complete(id, row.session());
                rows.complete(id, now, now + config.retention().toMillis());
                return new Progress(id, row.size(), row.size(), true);
            }
            return new Progress(id, stored + length, row.size(), false);
        } finally {
            busy.remove(id);
        }
    }

    /** The finished blob, for the holder of its download token. */
    Blob download(String id, String downloadToken) {
        AttachmentRow row = finished(id, downloadToken);
        try {
            return new Blob(row.size(), blobs.open(id));
        } catch (IOException e) {
            // Purged between the row read and the open.
            throw new NotFound(GONE);
        }
    }

    /** Keeps the finished blob for another {@code attachments.retention} (the attachment is sent again). */
    AttachmentRenewal renew(String id, String downloadToken) {
        finished(id, downloadToken);
        long expiresAt = clock.millis() + config.retention().toMillis();
        if (!rows.renew(id, expiresAt)) {
            throw new NotFound(GONE);
        }
        return new AttachmentRenewal(id, expiresAt);
    }

    /**
     * Deletes expired blobs and unfinished uploads past their deadline: the blob first, then its row,
     * so that a blob is never left without the row that leads the purge to it. A blob the
     * store cannot delete now (S3 unreachable) keeps its row and is tried again on the next run; the
     * other purges of this run go on regardless.
     */
    long purge(long now) {
        long deleted = 0;
        int failed = 0;
        while (true) {
            var batch = rows.expired(now, 100);
            int progress = 0;
            for (AttachmentRow row : batch) {
                try {
                    blobs.delete(row.id(), row.session());
                } catch (RuntimeException e) {
                    failed++;
                    continue;
                }
                rows.delete(row.id());
                deleted++;
                progress++;
            }
            if (batch.size() < 100 || progress == 0) {
                break;
            }
        }
        if (failed > 0) {
            LOG.log(System.Logger.Level.WARNING, failed + " expired attachment blobs could not be deleted from the "
                    + blobs.kind() + " store; the next purge run tries again");
        }
        return deleted;
    }

    private AttachmentRow upload(String id, String uploadToken) {
        AttachmentRow row = live(id);
        if (!CapabilityTokens.matches(uploadToken, row.uploadTokenHash())) {
            throw new NotFound(GONE);
        }
        return row;
    }

    private AttachmentRow finished(String id, String downloadToken) {
        AttachmentRow row = live(id);
        if (!row.complete() || !CapabilityTokens.matches(downloadToken, row.downloadTokenHash())) {
            throw new NotFound(GONE);
        }
        return row;
    }

    private AttachmentRow live(String id) {
        if (!ID.matcher(id).matches()) {
            throw new NotFound(GONE);
        }
        AttachmentRow row = rows.find(id).orElseThrow(() -> new NotFound(GONE));
        if (row.expiresAt() <= clock.millis()) {
            throw new NotFound(GONE);
        }
        return row;
    }
}
