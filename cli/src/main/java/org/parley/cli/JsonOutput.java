// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import org.parley.protocol.Json;

/**
 * The one way a command writes {@code --json} output: exactly one JSON document per run, on one line
 * (a list is one array, {@code []} when empty; counts are numbers). docs/cli.md documents each
 * command's document; scripts parse the whole of standard output at once.
 */
final class JsonOutput {
    private JsonOutput() {}

    /** Writes {@code value} as one JSON document and a newline. */
    static void print(PrintWriter out, Object value) {
        out.println(encode(value));
        out.flush();
    }

    /** The error document of a failed command, for standard error: {@code {error, message, exitCode}}. */
    static void printError(PrintWriter err, String error, String message, int exitCode) {
        print(err, fields("error", error, "message", message, "exitCode", exitCode));
    }

    static String encode(Object value) {
        try {
            return Json.lenient().writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode output as JSON", e);
        }
    }

    /** An ordered map for a JSON object, built inline from key, value pairs. */
    static Map<String, Object> fields(Object... keyValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            map.put((String) keyValues[i], keyValues[i + 1]);
        }
        return map;
    }
}
