// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.admin;

import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import org.parley.server.http.Routes;

/**
 * Operator authentication declared on the route:
 * {@code rules.get("/audit", OperatorRoutes.operator(operators, READERS, this::list))} runs the
 * handler only for an operator token of one of the roles, so a handler cannot forget the check.
 */
public final class OperatorRoutes {
    private OperatorRoutes() {}

    /** A handler of a request from an authenticated operator. */
    @FunctionalInterface
    public interface OperatorHandler {
        void handle(ServerRequest req, ServerResponse res, Operator operator) throws Exception;
    }

    /** 401 without a valid operator token, 403 for a role not in {@code allowed}; else runs {@code handler}. */
    public static Handler operator(OperatorAuthenticator operators, OperatorRole[] allowed, OperatorHandler handler) {
        OperatorRole[] roles = allowed.clone();
        return (req, res) -> handler.handle(req, res, operators.require(Routes.authorization(req), roles));
    }
}
