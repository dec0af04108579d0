// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.transparency;

import io.helidon.webserver.http.HttpRouting;
import java.util.List;
import org.parley.server.feature.Feature;
import org.parley.server.feature.ServerContext;

/**
 * The published data policy, unauthenticated: {@code GET /.well-known/parley/policy} (JSON) and
 * {@code GET /.well-known/parley/policy.html} (the same, readable). Both are rendered once, at
 * start-up, from the features' {@link PolicyContributor}s, which read the configuration; they are
 * served from memory with an {@code ETag} (see {@link PublishedPolicy}).
 */
public final class TransparencyFeature implements Feature {
    private final PublishedPolicy published;

    private TransparencyFeature(PublishedPolicy published) {
        this.published = published;
    }

    /** {@code contributors} in the order their categories should appear. */
    public static TransparencyFeature create(ServerContext ctx, List<PolicyContributor> contributors) {
        return new TransparencyFeature(new PublishedPolicy(new PolicyAssembler(contributors, ctx.clock()).assemble()));
    }

    /** The policy as it is served. */
    public PolicyDocument policy() {
        return published.document();
    }

    @Override
    public void routing(HttpRouting.Builder routing) {
        routing.register("/.well-known/parley", rules -> rules
                .get("/policy", (req, res) -> published.json().serve(req, res))
                .get("/policy.html", (req, res) -> published.html().serve(req, res)));
    }
}
