// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.attachments;

import java.io.IOException;
import java.io.InputStream;

/**
 * Where attachment ciphertext lives: opaque bytes under an id, written in consecutive pieces (one
 * per PATCH) and read back whole once finished. Implementations: {@link LocalBlobStore} (files under
 * the data directory) and {@link S3BlobStore} (an S3-compatible object store, one multipart part per
 * piece).
 *
 * <p>{@code session} is what a store needs to find an unfinished blob again (S3's upload id); the
 * service keeps it with the blob's row. The local store needs none and returns null.
 */
interface BlobStore extends AutoCloseable {
    /** Starts an empty unfinished blob; returns its session (may be null). */
    String begin(String id);

    /** How many bytes of the unfinished blob are stored: where the next piece starts. */
    long offset(String id, String session);

    /**
     * Stores {@code length} bytes read from {@code in} at {@code offset} (which is {@link #offset}).
     * When {@code in} ends early or fails, the piece is incomplete: the store keeps what it has if it
     * can (the local store) or none of it (S3), and {@link #offset} says which.
     *
     * @throws IOException when the piece could not be read or stored whole
     */
    void append(String id, String session, long offset, long length, InputStream in) throws IOException;

    /** Turns the unfinished blob, whose every piece is stored, into the finished blob. */
    void complete(String id, String session);

    /** The finished blob's bytes. */
    InputStream open(String id) throws IOException;

    /** Deletes the blob, finished or not, so that its bytes are gone; nothing when it does not exist. */
    void delete(String id, String session);

    /** A short name for logs and the policy: {@code local} or {@code s3}. */
    String kind();

    @Override
    default void close() {}
}
