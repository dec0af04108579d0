// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import org.parley.client.crypto.AttachmentCipher;
import org.parley.client.crypto.AttachmentPointer;
import org.parley.client.error.ParleyApiException;
import org.parley.client.error.ParleyException;
import org.parley.client.error.ParleyStateException;
import org.parley.client.error.ParleyTransportException;
import org.parley.client.transport.ParleyApi;
import org.parley.protocol.AttachmentProgress;
import org.parley.protocol.AttachmentUpload;
import org.parley.protocol.Json;

/**
 * Moves attachments between files and the server: encrypt ({@link AttachmentCipher}) into a
 * temporary blob in the home, upload it piece by piece (resuming from the server's offset when a
 * piece fails), and the reverse: download, check digest and MAC, decrypt into the folder.
 */
final class AttachmentTransfer {
    /** Attempts of one piece before the upload gives up (each after asking the server for its offset). */
    static final int PIECE_ATTEMPTS = 5;

    private final ParleyApi api;
    private final Path scratch;
    private final AttachmentCipher cipher;

    AttachmentTransfer(ParleyApi api, Path scratch, SecureRandom random) {
        this.api = api;
        this.scratch = scratch;
        this.cipher = new AttachmentCipher(random);
    }

    /** A file that failed its digest or MAC check, or could not be fetched or saved. */
    static final class Failure extends ParleyException {
        private static final long serialVersionUID = 1L;

        Failure(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** Encrypts and uploads {@code file}; the pointer goes into the message. */
    AttachmentPointer upload(Path file, String contentType) {
        Path blob = null;
        try {
            Files.createDirectories(scratch);
            blob = Files.createTempFile(scratch, "upload-", ".blob");
            AttachmentCipher.Sealed sealed = cipher.encrypt(file, blob);
            AttachmentUpload upload = api.createAttachment(sealed.ciphertextSize());
            send(upload, blob);
            Path name = file.getFileName();
            return new AttachmentPointer(upload.id(), upload.downloadToken(), sealed.key(), sealed.digest(), sealed.size(),
                    sealed.ciphertextSize(), contentType, name == null ? null : name.toString());
        } catch (IOException e) {
            throw new ParleyStateException("cannot read " + file + " or write its encrypted copy: " + e.getMessage(), e);
        } finally {
            deleteQuietly(blob);
        }
    }

    /** Sends the blob's pieces from the server's offset on; a piece that fails is retried from the new offset. */
    void send(AttachmentUpload upload, Path blob) throws IOException {
        long offset = 0;
        int failures = 0;
        while (offset < upload.size()) {
            byte[] piece = read(blob, offset, (int) Math.min(upload.chunkSize(), upload.size() - offset));
            try {
                AttachmentProgress progress = api.uploadPiece(upload.id(), upload.uploadToken(), offset, piece);
                offset = progress.offset();
            } catch (ParleyTransportException | ParleyApiException e) {
                boolean resumable = e instanceof ParleyTransportException
                        || ((ParleyApiException) e).status() == 409 || ((ParleyApiException) e).status() >= 500;
                if (!resumable || ++failures >= PIECE_ATTEMPTS) {
                    throw e;
                }
                offset = resume(upload);
            }
        }
    }

    /** The offset the server holds; where the upload continues. */
    long resume(AttachmentUpload upload) {
        return api.attachmentProgress(upload.id(), upload.uploadToken()).offset();
    }

    /**
     * Downloads {@code pointer} into {@code folder} under its file name (made unique), checking digest
     * and MAC before a byte is decrypted; returns the saved file.
     */
    Path download(AttachmentPointer pointer, Path folder) {
        Path blob = null;
        try {
            Files.createDirectories(folder);
            blob = Files.createTempFile(folder, ".download-", ".blob");
            api.downloadAttachment(pointer.id(), pointer.token(), blob);
            Path target = unique(folder, safeName(pointer));
            cipher.decrypt(blob, pointer.key(), pointer.digest(), pointer.size(), target);
            return target;
        } catch (AttachmentCipher.IntegrityException e) {
            throw new Failure(e.getMessage(), e);
        } catch (IOException e) {
            throw new Failure("cannot save an attachment in " + folder + ": " + e.getMessage(), e);
        } finally {
            deleteQuietly(blob);
        }
    }

    static List<String> toJson(List<AttachmentPointer> pointers) {
        List<String> out = new ArrayList<>(pointers.size());
        for (AttachmentPointer p : pointers) {
            try {
                out.add(Json.lenient().writeValueAsString(p));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("cannot encode an attachment pointer", e);
            }
        }
        return out;
    }

    static List<AttachmentPointer> fromJson(List<String> json) {
        List<AttachmentPointer> out = new ArrayList<>(json.size());
        for (String j : json) {
            try {
                out.add(Json.lenient().readValue(j, AttachmentPointer.class));
            } catch (JsonProcessingException e) {
                throw new ParleyStateException("the home holds an unreadable attachment pointer", e);
            }
        }
        return out;
    }

    /** The sender's file name without any directory part or control characters; never empty or dot-only. */
    static String safeName(AttachmentPointer pointer) {
        String name = pointer.fileName() == null ? "" : pointer.fileName();
        name = name.substring(Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\')) + 1);
        name = name.replaceAll("[\\p{Cntrl}]", "_").strip();
        if (name.isEmpty() || name.chars().allMatch(c -> c == '.') || name.length() > 200) {
            return "attachment-" + pointer.id();
        }
        return name;
    }

    private static Path unique(Path folder, String name) {
        Path candidate = folder.resolve(name);
        int dot = name.lastIndexOf('.');
        String stem = dot > 0 ? name.substring(0, dot) : name;
        String ext = dot > 0 ? name.substring(dot) : "";
        for (int i = 1; Files.exists(candidate); i++) {
            candidate = folder.resolve(stem + " (" + i + ")" + ext);
        }
        return candidate;
    }

    private static byte[] read(Path blob, long offset, int length) throws IOException {
        try (InputStream in = Files.newInputStream(blob)) {
            in.skipNBytes(offset);
            return in.readNBytes(length);
        }
    }

    private static void deleteQuietly(Path file) {
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
