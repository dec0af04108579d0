// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.legal;

import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.parley.server.config.ConfigException;
import org.parley.server.config.ServerConfig;

/**
 * Which data categories each request type may obtain ({@code legal.categories} in parley.yaml).
 * A request asking for a category its type may not obtain is refused at intake, with the reason.
 */
public final class LegalMatrix {
    private final Map<RequestType, Set<LegalCategory>> allowed;

    public LegalMatrix(Map<RequestType, Set<LegalCategory>> allowed) {
        this.allowed = Map.copyOf(allowed);
    }

    /**
     * Parses the {@code legal.categories} section, which configuration holds as plain names.
     *
     * @throws ConfigException naming the key when a request type or category name is unknown
     */
    public static LegalMatrix of(ServerConfig.Legal config) {
        Map<RequestType, Set<LegalCategory>> matrix = new EnumMap<>(RequestType.class);
        for (Map.Entry<String, List<String>> entry : config.categories().entrySet()) {
            String path = "legal.categories." + entry.getKey();
            try {
                Set<LegalCategory> allowed = EnumSet.noneOf(LegalCategory.class);
                for (String name : entry.getValue()) {
                    allowed.add(LegalCategory.fromWire(name));
                }
                matrix.put(RequestType.fromWire(entry.getKey()), Set.copyOf(allowed));
            } catch (IllegalArgumentException e) {
                throw new ConfigException("configuration key '" + path + "': " + e.getMessage());
            }
        }
        return new LegalMatrix(matrix);
    }

    public Set<LegalCategory> allowed(RequestType type) {
        return allowed.getOrDefault(type, Set.of());
    }

    /** Why {@code type} may not obtain {@code asked}, or empty when it may. */
    public Optional<String> refusal(RequestType type, Set<LegalCategory> asked) {
        Set<LegalCategory> outside = EnumSet.noneOf(LegalCategory.class);
        outside.addAll(asked);
        outside.removeAll(allowed(type));
        if (outside.isEmpty()) {
            return Optional.empty();
        }
        String verb = type.produces() ? "obtain" : "preserve";
        return Optional.of("a " + type.wire() + " may not " + verb + " " + names(outside)
                + " under this server's policy (legal.categories." + type.wire() + " allows: "
                + (allowed(type).isEmpty() ? "nothing" : names(allowed(type))) + ")");
    }

    private static String names(Set<LegalCategory> categories) {
        return categories.stream().map(LegalCategory::wire).collect(Collectors.toCollection(TreeSet::new)).toString();
    }
}
