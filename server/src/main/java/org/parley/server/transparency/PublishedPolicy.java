// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.transparency;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.parley.protocol.Json;
import org.parley.server.http.FixedRepresentation;

/**
 * The policy as served: assembled and rendered (JSON and HTML) once, when the server starts. The
 * contributors read only the configuration, which cannot change while the server runs, so every
 * request would render the same bytes; serving them from memory carries about 3.5 times the
 * requests per second of rendering per request (docs/performance.md, "The published policy").
 */
final class PublishedPolicy {
    private final PolicyDocument document;
    private final FixedRepresentation json;
    private final FixedRepresentation html;

    PublishedPolicy(PolicyDocument document) {
        this.document = document;
        this.json = FixedRepresentation.of(jsonBytes(document), "application/json", Map.of());
        // The page has no scripts and needs none: say so, so an injected one could not run either.
        this.html = FixedRepresentation.of(PolicyHtml.render(document).getBytes(StandardCharsets.UTF_8),
                "text/html; charset=utf-8", Map.of(
                        "Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'",
                        "X-Content-Type-Options", "nosniff"));
    }

    PolicyDocument document() {
        return document;
    }

    FixedRepresentation json() {
        return json;
    }

    FixedRepresentation html() {
        return html;
    }

    private static byte[] jsonBytes(PolicyDocument document) {
        try {
            return Json.strict().writeValueAsBytes(document);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise the policy document", e);
        }
    }
}
