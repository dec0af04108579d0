// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.http;

import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A response body that never changes while the server runs, rendered once and served from memory,
 * with a strong {@code ETag} (derived from the bytes) and {@code If-None-Match} answered by
 * {@code 304 Not Modified} (RFC 9110 section 13.1.2).
 *
 * <p>{@code Cache-Control: public, no-cache}: any cache may keep it, but must revalidate before
 * each use. The content changes only with a restart under a new configuration, and a cache must
 * never show a policy older than the running one; revalidating costs a {@code 304} with no body.
 */
public final class FixedRepresentation {
    static final String CACHE_CONTROL = "public, no-cache";

    private final byte[] body;
    private final String etag;
    private final Map<String, String> headers;

    private FixedRepresentation(byte[] body, String etag, Map<String, String> headers) {
        this.body = body;
        this.etag = etag;
        this.headers = headers;
    }

    /**
     * {@code body} with its {@code contentType}, plus {@code extraHeaders} sent on every answer (a
     * 304 included, as RFC 9110 section 15.4.5 asks for headers that a 200 would carry).
     */
    public static FixedRepresentation of(byte[] body, String contentType, Map<String, String> extraHeaders) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put(HeaderNames.CONTENT_TYPE.defaultCase(), contentType);
        headers.put(HeaderNames.CACHE_CONTROL.defaultCase(), CACHE_CONTROL);
        headers.putAll(extraHeaders);
        return new FixedRepresentation(body.clone(), etagOf(body), Map.copyOf(headers));
    }

    /** The strong entity tag, with its quotes: {@code "<base64url of the first 16 bytes of SHA-256>"}. */
    public String etag() {
        return etag;
    }

    public void serve(ServerRequest req, ServerResponse res) {
        headers.forEach((name, value) -> res.headers().set(HeaderNames.create(name), value));
        res.headers().set(HeaderNames.ETAG, etag);
        if (req.headers().contains(HeaderNames.IF_NONE_MATCH)
                && matchesAny(etag, String.join(",", req.headers().get(HeaderNames.IF_NONE_MATCH).allValues()))) {
            // No representation metadata on a 304 (RFC 9110 section 15.4.5). Helidon 4.5 adds
            // Content-Length: 0 to it and refuses any other value; caches ignore that field of a
            // 304 (RFC 9111 section 3.2), so the stored length stays right.
            res.headers().remove(HeaderNames.CONTENT_TYPE);
            res.status(Status.NOT_MODIFIED_304).send();
            return;
        }
        res.status(Status.OK_200);
        HeadRequests.send(res, body);
    }

    /**
     * Whether an {@code If-None-Match} field value names {@code etag}: {@code *}, or a list of
     * entity tags compared weakly (a {@code W/} prefix is ignored), as RFC 9110 requires for it.
     */
    static boolean matchesAny(String etag, String ifNoneMatch) {
        for (String candidate : ifNoneMatch.split(",")) {
            String tag = candidate.strip();
            if (tag.equals("*")) {
                return true;
            }
            if (tag.startsWith("W/")) {
                tag = tag.substring(2);
            }
            if (tag.equals(etag)) {
                return true;
            }
        }
        return false;
    }

    private static String etagOf(byte[] body) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(body);
            return "\"" + Base64.getUrlEncoder().withoutPadding().encodeToString(java.util.Arrays.copyOf(digest, 16)) + "\"";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK provides SHA-256", e);
        }
    }
}
