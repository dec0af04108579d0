// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The merged configuration (defaults, operator file, environment) as typed leaves by dotted path, so a
 * feature can parse its own section without {@code config} knowing the feature. Every key exists
 * (the defaults file is the schema); errors name the key, the value and the rule.
 */
public final class ConfigTree {
    private final ObjectNode root;

    ConfigTree(ObjectNode root) {
        this.root = root.deepCopy();
    }

    /** The defaults alone, as shipped in {@code parley.yaml}. */
    public static ConfigTree defaults() {
        return ConfigLoader.defaultsOnly().tree();
    }

    JsonNode node(String path) {
        JsonNode n = root;
        for (String part : path.split("\\.")) {
            n = n.path(part);
        }
        if (n.isMissingNode()) {
            throw new IllegalStateException("parley.yaml lacks " + path);
        }
        return n;
    }

    public String text(String path) {
        JsonNode n = node(path);
        if (n.isContainerNode()) {
            throw new ConfigException("configuration key '" + path + "' must be a single value");
        }
        return n.isNull() ? "" : n.asText().strip();
    }

    public int integer(String path, int min, int max) {
        String t = text(path);
        int v;
        try {
            v = Integer.parseInt(t);
        } catch (NumberFormatException e) {
            throw new ConfigException("configuration key '" + path + "' must be a whole number; was '" + t + "'");
        }
        if (v < min || v > max) {
            throw new ConfigException("configuration key '" + path + "' must be in " + min + ".." + max + "; was " + v);
        }
        return v;
    }

    public boolean bool(String path) {
        String t = text(path).toLowerCase(Locale.ROOT);
        return switch (t) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new ConfigException("configuration key '" + path + "' must be true or false; was '" + t + "'");
        };
    }

    /** A positive ISO-8601 duration such as PT10S or P30D. */
    public Duration duration(String path) {
        String t = text(path);
        try {
            Duration d = Duration.parse(t);
            if (d.isNegative() || d.isZero()) {
                throw new ConfigException("configuration key '" + path + "' must be a positive duration; was " + t);
            }
            return d;
        } catch (DateTimeParseException e) {
            throw new ConfigException("configuration key '" + path + "' must be an ISO-8601 duration such as P30D or PT1H; was '" + t + "'");
        }
    }

    /** A list of plain values; an empty scalar reads as the empty list. */
    List<String> list(String path) {
        JsonNode n = node(path);
        List<String> out = new ArrayList<>();
        if (n.isArray()) {
            n.forEach(item -> out.add(item.asText()));
        } else if (!n.isNull() && !n.asText().isBlank()) {
            throw new ConfigException("configuration key '" + path + "' must be a list");
        }
        return out;
    }

    /** One of {@code allowed} (lower-cased). */
    public String choice(String path, String... allowed) {
        String t = text(path).toLowerCase(Locale.ROOT);
        for (String a : allowed) {
            if (a.equals(t)) {
                return t;
            }
        }
        throw new ConfigException("configuration key '" + path + "' must be one of " + String.join(", ", allowed)
                + "; was '" + t + "'");
    }

    /**
     * A secret given either inline ({@code inlinePath}) or as the first line of a file ({@code filePath});
     * at most one may be set. Empty when neither is.
     */
    public String secret(String inlinePath, String filePath) {
        String inline = text(inlinePath);
        String file = text(filePath);
        if (!inline.isEmpty() && !file.isEmpty()) {
            throw new ConfigException("set at most one of " + inlinePath + " and " + filePath);
        }
        if (file.isEmpty()) {
            return inline;
        }
        try {
            String content = Files.readString(Path.of(file), StandardCharsets.UTF_8);
            int newline = content.indexOf('\n');
            return (newline < 0 ? content : content.substring(0, newline)).strip();
        } catch (java.io.IOException e) {
            throw new ConfigException(filePath + " names " + file + ", which cannot be read: " + e.getMessage()
                    + "; fix the path or the file's permissions", e);
        }
    }
}
