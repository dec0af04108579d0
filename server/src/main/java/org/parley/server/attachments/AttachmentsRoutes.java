// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.attachments;

import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.common.media.type.MediaTypes;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.Optional;
import org.parley.protocol.AttachmentUploadRequest;
import org.parley.server.errors.InvalidRequest;
import org.parley.server.http.DeviceAuthenticator;
import org.parley.server.http.HeadRequests;
import org.parley.server.http.HttpJson;

/**
 * The attachments feature's HTTP edge, every route in one place (docs/protocol.md, Attachments).
 * Only creating an upload needs device authentication; everything else needs the blob's capability
 * token as {@code Authorization: Capability <token>}, and no account.
 * <pre>
 *   POST  /v1/attachments              device auth; AttachmentUploadRequest -> AttachmentUpload
 *   GET   /v1/attachments/{id}/upload  upload token; HEAD too: Upload-Offset, Upload-Length (+ JSON on GET)
 *   PATCH /v1/attachments/{id}/upload  upload token; Upload-Offset, one piece -> Upload-Offset (+ JSON)
 *   GET   /v1/attachments/{id}         download token; the ciphertext (application/octet-stream)
 *   POST  /v1/attachments/{id}/renew   download token; -> AttachmentRenewal
 * </pre>
 */
final class AttachmentsRoutes {
    private static final HeaderName UPLOAD_OFFSET = HeaderNames.create("Upload-Offset");
    private static final HeaderName UPLOAD_LENGTH = HeaderNames.create("Upload-Length");
    private static final String SCHEME = "Capability ";

    private final AttachmentService service;
    private final DeviceAuthenticator devices;

    AttachmentsRoutes(AttachmentService service, DeviceAuthenticator devices) {
        this.service = service;
        this.devices = devices;
    }

    void register(HttpRouting.Builder routing) {
        routing.register("/v1/attachments", this::rules);
    }

    private void rules(HttpRules rules) {
        rules.post("/", this::create)
                .get("/{id}/upload", this::progress)
                .patch("/{id}/upload", this::append)
                .get("/{id}", this::download)
                .post("/{id}/renew", this::renew);
    }

    private void create(ServerRequest req, ServerResponse res) {
        // Authenticated so that strangers cannot fill the store; which device asked is not recorded.
        devices.authenticate(req);
        AttachmentUploadRequest body = HttpJson.read(req, AttachmentUploadRequest.class);
        HttpJson.ok(res, service.create(body.size()));
    }

    private void progress(ServerRequest req, ServerResponse res) {
        answer(res, service.progress(id(req), capability(req)));
    }

    private void append(ServerRequest req, ServerResponse res) {
        String id = id(req);
        String token = capability(req);
        long offset = longHeader(req, UPLOAD_OFFSET, "Upload-Offset");
        long length = req.headers().contentLength().orElseThrow(() -> new InvalidRequest(
                "a piece needs a Content-Length (chunked transfer is not accepted for uploads)"));
        req.headers().contentType().ifPresent(type -> {
            if (!type.mediaType().text().equalsIgnoreCase("application/offset+octet-stream")) {
                throw new InvalidRequest("send a piece as application/offset+octet-stream, not " + type.mediaType().text());
            }
        });
        InputStream body = req.content().inputStream();
        answer(res, service.append(id, token, offset, length, body));
    }

    private void download(ServerRequest req, ServerResponse res) {
        AttachmentService.Blob blob = service.download(id(req), capability(req));
        try (InputStream in = blob.content()) {
            res.headers().contentType(MediaTypes.APPLICATION_OCTET_STREAM);
            res.headers().set(HeaderNames.CACHE_CONTROL, "no-store");
            res.headers().contentLength(blob.size());
            if (HeadRequests.active()) {
                res.send();
                return;
            }
            try (OutputStream out = res.outputStream()) {
                in.transferTo(out);
            }
        } catch (IOException e) {
            // The client hung up mid-download; it can fetch again.
            throw new UncheckedIOException(e);
        }
    }

    private void renew(ServerRequest req, ServerResponse res) {
        HttpJson.ok(res, service.renew(id(req), capability(req)));
    }

    private static void answer(ServerResponse res, AttachmentService.Progress p) {
        res.headers().set(UPLOAD_OFFSET, Long.toString(p.offset()));
        res.headers().set(UPLOAD_LENGTH, Long.toString(p.size()));
        res.headers().set(HeaderNames.CACHE_CONTROL, "no-store");
        HttpJson.ok(res, new org.parley.protocol.AttachmentProgress(p.id(), p.offset(), p.size(), p.complete()));
    }

    private static String id(ServerRequest req) {
        return req.path().pathParameters().get("id");
    }

    /** The capability token; a missing one is a 404 like a wrong one (see {@link AttachmentService}). */
    private static String capability(ServerRequest req) {
        Optional<String> header = req.headers().first(HeaderNames.AUTHORIZATION);
        return header.filter(h -> h.regionMatches(true, 0, SCHEME, 0, SCHEME.length()))
                .map(h -> h.substring(SCHEME.length()).strip())
                .orElse(null);
    }

    private static long longHeader(ServerRequest req, HeaderName name, String text) {
        String value = req.headers().first(name).orElseThrow(() -> new InvalidRequest("the " + text + " header is missing"));
        try {
            long v = Long.parseLong(value.strip());
            if (v < 0) {
                throw new NumberFormatException();
            }
            return v;
        } catch (NumberFormatException e) {
            throw new InvalidRequest("the " + text + " header must be a whole number of bytes");
        }
    }
}
