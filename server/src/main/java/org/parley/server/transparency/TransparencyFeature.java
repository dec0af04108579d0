// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.transparency;

import io.helidon.common.media.type.MediaTypes;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.parley.server.feature.Feature;
import org.parley.server.feature.ServerContext;
import org.parley.server.http.HttpJson;

/**
 * The published data policy, unauthenticated: {@code GET /.well-known/parley/policy} (JSON) and
 * {@code GET /.well-known/parley/policy.html} (the same, readable). Both are generated on each
 * request from the features' {@link PolicyContributor}s, which read the live configuration.
 */
public final class TransparencyFeature implements Feature {
    private final PolicyAssembler assembler;

    private TransparencyFeature(PolicyAssembler assembler) {
        this.assembler = assembler;
    }

    /** {@code contributors} in the order their categories should appear. */
    public static TransparencyFeature create(ServerContext ctx, List<PolicyContributor> contributors) {
        return new TransparencyFeature(new PolicyAssembler(contributors, ctx.clock()));
    }

    /** The policy as it would be served now. */
    PolicyDocument policy() {
        return assembler.assemble();
    }

    @Override
    public void routing(HttpRouting.Builder routing) {
        routing.register("/.well-known/parley", rules -> rules
                .get("/policy", this::json)
                .get("/policy.html", this::html));
    }

    private void json(ServerRequest req, ServerResponse res) {
        HttpJson.ok(res, assembler.assemble());
    }

    private void html(ServerRequest req, ServerResponse res) {
        byte[] page = PolicyHtml.render(assembler.assemble()).getBytes(StandardCharsets.UTF_8);
        res.headers().contentType(MediaTypes.TEXT_HTML);
        res.headers().set(HeaderNames.CONTENT_TYPE, "text/html; charset=utf-8");
        res.headers().set(HeaderNames.CACHE_CONTROL, "no-store");
        // The page has no scripts and needs none: say so, so an injected one could not run either.
        res.headers().set(HeaderNames.create("Content-Security-Policy"), "default-src 'none'; style-src 'unsafe-inline'");
        res.headers().set(HeaderNames.create("X-Content-Type-Options"), "nosniff");
        res.send(page);
    }
}
