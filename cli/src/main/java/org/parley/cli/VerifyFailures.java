// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import org.parley.client.AccountInfo;
import org.parley.client.error.ParleyApiException;
import org.parley.protocol.Json;

/**
 * The server's refusals of a verification code, told in the CLI's terms. The server says "start a new
 * session" (an HTTP call); a person at the terminal needs to hear that {@code parley register} is what
 * starts one, with the exact command line.
 */
final class VerifyFailures {
    private VerifyFailures() {}

    static int explain(UserCommand command, ParleyApiException e, AccountInfo pending) {
        String register = "`parley register " + pending.handle() + " --server " + pending.serverUrl() + " --home "
                + command.options.home + (pending.registered() ? " --replace" : "") + "`";
        String message = switch (e.error()) {
            case "invalid_code" -> attemptsRemaining(e) > 0 ? e.serverMessage()
                    : "wrong verification code, and that was the last attempt for it; run " + register + " for a new code";
            case "rate_limited" -> "too many wrong codes for this verification code; run " + register + " for a new code"
                    + e.retryAfterSeconds().filter(s -> s > 1).map(s -> " (the server allows that in " + s + " s)").orElse("");
            case "session_expired" -> beforeSemicolon(e.serverMessage()) + "; run " + register + " for a new code";
            case "not_found" -> "the server no longer knows this verification code; run " + register + " for a new one";
            default -> e.serverMessage() + e.retryAfterSeconds().map(s -> " (retry in " + s + " s)").orElse("");
        };
        return command.fail(Failures.SERVER_ERROR, e.error(), message);
    }

    /** The {@code attemptsRemaining} of a 403 invalid_code body; 1 when it cannot be read, so the server's words stand. */
    private static int attemptsRemaining(ParleyApiException e) {
        try {
            JsonNode body = Json.lenient().readTree(e.body() == null ? "{}" : e.body());
            return body.path("attemptsRemaining").asInt(1);
        } catch (IOException unreadable) {
            return 1;
        }
    }

    private static String beforeSemicolon(String message) {
        int semicolon = message.indexOf(';');
        return semicolon < 0 ? message : message.substring(0, semicolon);
    }
}
