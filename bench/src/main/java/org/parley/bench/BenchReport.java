// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.parley.protocol.Json;

/**
 * The result of one scenario: parameters, named sections of figures (in insertion order) and notes.
 * Printed as a table for people and written as JSON for scripts; both carry the same keys. A section
 * value may be a number, a string, a nested map, or a list of maps (printed as a table with columns).
 */
final class BenchReport {
    private final Map<String, Object> root = new LinkedHashMap<>();
    private final Map<String, Object> parameters = new LinkedHashMap<>();
    private final Map<String, Object> sections = new LinkedHashMap<>();
    private final List<String> notes = new ArrayList<>();

    BenchReport(String scenario, String server) {
        root.put("scenario", scenario);
        root.put("server", server);
        root.put("time", Instant.now().toString());
        root.put("parameters", parameters);
        root.put("results", sections);
        root.put("notes", notes);
    }

    BenchReport parameter(String name, Object value) {
        parameters.put(name, value);
        return this;
    }

    /** The named section, created empty on first use. */
    @SuppressWarnings("unchecked")
    Map<String, Object> section(String name) {
        return (Map<String, Object>) sections.computeIfAbsent(name, k -> new LinkedHashMap<String, Object>());
    }

    void put(String section, String key, Object value) {
        section(section).put(key, value);
    }

    void putAll(String section, Map<String, Object> values) {
        section(section).putAll(values);
    }

    /** Sets a whole section to {@code value}, e.g. a list of rows. */
    void set(String section, Object value) {
        sections.put(section, value);
    }

    void note(String text) {
        notes.add(text);
    }

    Map<String, Object> asMap() {
        return root;
    }

    void writeJson(Path file) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Json.lenient().writerWithDefaultPrettyPrinter().writeValue(file.toFile(), root);
        } catch (IOException e) {
            throw new BenchException("cannot write the JSON report to " + file + ": " + e.getMessage(), e);
        }
    }

    void print(PrintStream out) {
        out.println("parley bench " + root.get("scenario") + " against " + root.get("server"));
        printMap(out, "parameters", parameters);
        for (Map.Entry<String, Object> s : sections.entrySet()) {
            printValue(out, s.getKey(), s.getValue());
        }
        for (String n : notes) {
            out.println("note: " + n);
        }
    }

    private static void printValue(PrintStream out, String name, Object value) {
        if (value instanceof Map<?, ?> map) {
            printMap(out, name, map);
        } else if (value instanceof List<?> list && !list.isEmpty() && list.getFirst() instanceof Map<?, ?>) {
            printTable(out, name, list);
        } else {
            out.println(name + ": " + format(value));
        }
    }

    private static void printMap(PrintStream out, String name, Map<?, ?> map) {
        out.println();
        out.println(name);
        int width = map.keySet().stream().mapToInt(k -> k.toString().length()).max().orElse(0);
        List<Map.Entry<?, ?>> nested = new ArrayList<>();
        for (Map.Entry<?, ?> e : map.entrySet()) {
            if (e.getValue() instanceof Map<?, ?> || e.getValue() instanceof List<?> l && !l.isEmpty() && l.getFirst() instanceof Map<?, ?>) {
                nested.add(e);
                continue;
            }
            out.printf("  %-" + width + "s  %s%n", e.getKey(), format(e.getValue()));
        }
        for (Map.Entry<?, ?> e : nested) {
            printValue(out, name + " / " + e.getKey(), e.getValue());
        }
    }

    private static void printTable(PrintStream out, String name, List<?> rows) {
        out.println();
        out.println(name);
        List<String> columns = new ArrayList<>();
        for (Object row : rows) {
            for (Object k : ((Map<?, ?>) row).keySet()) {
                if (!columns.contains(k.toString())) {
                    columns.add(k.toString());
                }
            }
        }
        int[] widths = new int[columns.size()];
        for (int c = 0; c < columns.size(); c++) {
            widths[c] = columns.get(c).length();
            for (Object row : rows) {
                widths[c] = Math.max(widths[c], format(((Map<?, ?>) row).get(columns.get(c))).length());
            }
        }
        StringBuilder header = new StringBuilder(" ");
        for (int c = 0; c < columns.size(); c++) {
            header.append(' ').append(pad(columns.get(c), widths[c]));
        }
        out.println(header);
        for (Object row : rows) {
            StringBuilder line = new StringBuilder(" ");
            for (int c = 0; c < columns.size(); c++) {
                line.append(' ').append(pad(format(((Map<?, ?>) row).get(columns.get(c))), widths[c]));
            }
            out.println(line);
        }
    }

    private static String pad(String s, int width) {
        return " ".repeat(Math.max(0, width - s.length())) + s;
    }

    private static String format(Object value) {
        if (value == null) {
            return "-";
        }
        if (value instanceof Double d) {
            return d == Math.rint(d) && Math.abs(d) < 1e15 ? String.format("%.1f", d) : d.toString();
        }
        return value.toString();
    }
}
