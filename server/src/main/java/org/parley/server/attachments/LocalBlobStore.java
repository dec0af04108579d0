// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.attachments;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Blobs as files under {@code <data-dir>/attachments}: {@code <id>.part} while the upload runs
 * (appended to by each piece, so an interrupted piece keeps what arrived), renamed to {@code <id>}
 * when finished. Deleting a blob deletes its file: the ciphertext is then gone from the server's
 * files (and was never readable by the server anyway).
 */
final class LocalBlobStore implements BlobStore {
    private static final String PART = ".part";

    private final Path dir;

    LocalBlobStore(Path dir) {
        this.dir = dir;
        try {
            if (!Files.isDirectory(dir)) {
                Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the attachment directory " + dir, e);
        }
    }

    @Override
    public String begin(String id) {
        try {
            Files.createFile(part(id), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            return null;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the blob file of an attachment", e);
        }
    }

    @Override
    public long offset(String id, String session) {
        try {
            return Files.size(part(id));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the size of an attachment's blob file", e);
        }
    }

    @Override
    public void append(String id, String session, long offset, long length, InputStream in) throws IOException {
        try (FileChannel channel = FileChannel.open(part(id), StandardOpenOption.WRITE)) {
            // Truncate to the offset the service checked: a piece never leaves bytes beyond it.
            channel.truncate(offset);
            channel.position(offset);
            OutputStream out = Channels.newOutputStream(channel);
            byte[] buffer = new byte[64 * 1024];
            long left = length;
            try {
                while (left > 0) {
                    int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
                    if (n < 0) {
                        throw new IOException("the piece ended after " + (length - left) + " of " + length + " bytes");
                    }
                    out.write(buffer, 0, n);
                    left -= n;
                }
            } finally {
                out.flush();
            }
        }
    }

    @Override
    public void complete(String id, String session) {
        try {
            Files.move(part(id), finished(id), StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot finish an attachment's blob file", e);
        }
    }

    @Override
    public InputStream open(String id) throws IOException {
        return Files.newInputStream(finished(id));
    }

    @Override
    public void delete(String id, String session) {
        try {
            Files.deleteIfExists(part(id));
            Files.deleteIfExists(finished(id));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete an attachment's blob file", e);
        }
    }

    @Override
    public String kind() {
        return "local";
    }

    private Path part(String id) {
        return dir.resolve(id + PART);
    }

    private Path finished(String id) {
        return dir.resolve(id);
    }
}
