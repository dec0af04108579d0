// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The {@code PARLEY_*} environment variables start-up accepts: one per configuration key
 * ({@link ConfigLoader#envName}) and the few that Parley's own scripts and programs read, which are
 * not configuration. Any other is refused like an unknown key in a file: a misspelt
 * {@code PARLEY_LOOKUP_LOG_MDOE=off} would otherwise leave the lookup log at its default, and a typo
 * in a security setting must never be ignored silently.
 */
final class EnvironmentKeys {
    static final String PREFIX = "PARLEY_";

    /** Variables with the prefix that are not configuration keys, and what each one is. */
    static final Map<String, String> NOT_CONFIGURATION = Map.of(
            "PARLEY_JAVA_OPTS", "extra JVM options for ./parley",
            "PARLEY_JAVA_HOME", "the JDK for ./parley, bench/jmh and .ci",
            "PARLEY_JMH_JAVA_OPTS", "extra JVM options for bench/jmh",
            "PARLEY_JMH_SKIP_BUILD", "bench/jmh without a build",
            "PARLEY_DEBUG", "stack traces from the CLI",
            // The side-by-side harness (../shared/peers) names the checkout it runs, and its servers inherit it.
            "PARLEY_DIR", "a Parley checkout, for tools that run it",
            // A server started from within such a command would inherit them.
            "PARLEY_HANDLE", "set by Parley for verification.command",
            "PARLEY_CODE", "set by Parley for verification.command");

    private EnvironmentKeys() {}

    /**
     * Refuses every {@code PARLEY_*} variable of {@code env} that names no key of {@code schema} (the
     * defaults tree) and is not in {@link #NOT_CONFIGURATION}, suggesting the closest known name.
     *
     * @throws ConfigException naming each unknown variable
     */
    static void check(JsonNode schema, Map<String, String> env) {
        Map<String, String> known = new TreeMap<>();
        collect(schema, "", known);
        known.putAll(NOT_CONFIGURATION);
        List<String> unknown = new ArrayList<>();
        for (String name : new TreeMap<>(env).keySet()) {
            if (name.startsWith(PREFIX) && !known.containsKey(name)) {
                unknown.add(name + suggestion(name, known));
            }
        }
        if (!unknown.isEmpty()) {
            throw new ConfigException("unknown environment variable" + (unknown.size() == 1 ? " " : "s ")
                    + String.join(", ", unknown) + "; every PARLEY_ variable must name a configuration key"
                    + " (lookup-log.mode is PARLEY_LOOKUP_LOG_MODE; parley server --print-default-config lists them),"
                    + " so that a misspelt setting is never ignored. Correct or unset it");
        }
    }

    /** Each leaf of the defaults tree: its variable name and "key" with its dotted key. */
    private static void collect(JsonNode node, String prefix, Map<String, String> known) {
        node.properties().forEach(field -> {
            String path = prefix + field.getKey();
            if (field.getValue().isObject()) {
                collect(field.getValue(), path + ".", known);
            } else {
                known.put(ConfigLoader.envName(path), "key " + path);
            }
        });
    }

    /**
     * " (did you mean X, key k?)" for the known variable nearest by edit distance, when it is near
     * enough to be a typo; else the one that ends like the unknown name ({@code PARLEY_SERVER_PORT}
     * for {@code PARLEY_PORT}); else nothing. {@code known} maps each name to what it is.
     */
    static String suggestion(String unknown, Map<String, String> known) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String name : known.keySet()) {
            int d = distance(unknown, name);
            if (d < bestDistance) {
                best = name;
                bestDistance = d;
            }
        }
        String tail = unknown.substring(PREFIX.length());
        List<String> meant = best == null ? List.of() : List.of(best);
        if (best == null || bestDistance > Math.max(2, tail.length() / 4)) {
            // A name without its section (PARLEY_PORT) may end like several keys (server.port,
            // sms.smpp.port): name them all, but only while that is still a useful hint.
            List<String> endingAlike = known.keySet().stream().filter(k -> k.endsWith("_" + tail)).sorted().toList();
            meant = endingAlike.size() <= 3 ? endingAlike : List.of();
        }
        if (meant.isEmpty()) {
            return "";
        }
        return " (did you mean " + String.join(", or ", meant.stream().map(n -> n + ", " + known.get(n)).toList()) + "?)";
    }

    /** Edits (insert, delete, replace, swap two neighbours) that turn {@code a} into {@code b}. */
    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
