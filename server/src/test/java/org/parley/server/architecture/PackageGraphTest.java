// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.architecture;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.parley.testing.PackageSlices;

/**
 * The package graph in docs/architecture.md (section Packages) is the one the code has: this
 * computes each server package's imports of the others from the bytecode and compares them with the
 * documented list. After a deliberate change, regenerate the list with
 * {@code ./.ci/mvn -pl server -am test -Dtest=PackageGraphTest -Dparley.writeGraph=true -Dsurefire.failIfNoSpecifiedTests=false}.
 */
class PackageGraphTest {
    private static final Path DOC = Path.of("../docs/architecture.md");
    private static final String START = "<!-- package-graph:start -->";
    private static final String END = "<!-- package-graph:end -->";

    @Test
    void documentedGraph_isTheCodes() throws IOException {
        String actual = render(graph());
        String doc = Files.readString(DOC);
        int start = doc.indexOf(START);
        int end = doc.indexOf(END);
        if (start < 0 || end < start) {
            throw new AssertionError("docs/architecture.md lacks the " + START + " ... " + END + " block");
        }
        String documented = doc.substring(start + START.length(), end);
        if (Boolean.getBoolean("parley.writeGraph")) {
            Files.writeString(DOC, doc.substring(0, start + START.length()) + actual + doc.substring(end));
            return;
        }
        assertEquals(actual, documented, "the package graph in docs/architecture.md is stale; regenerate it (see this test's Javadoc)");
    }

    /** Each package (the wiring as {@code (root)}) and the packages it uses. */
    static Map<String, Set<String>> graph() {
        PackageSlices slices = new PackageSlices("org.parley.server");
        JavaClasses classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("org.parley.server");
        Map<String, Set<String>> graph = new TreeMap<>();
        for (JavaClass c : classes) {
            String from = slices.name(c.getPackageName());
            Set<String> uses = graph.computeIfAbsent(from, k -> new TreeSet<>());
            for (Dependency d : c.getDirectDependenciesFromSelf()) {
                String to = slices.name(d.getTargetClass().getPackageName());
                if (to != null && !to.equals(from)) {
                    uses.add(to);
                }
            }
        }
        return graph;
    }

    private static String render(Map<String, Set<String>> graph) {
        return "\n```\n" + graph.entrySet().stream()
                .map(e -> String.format("%-13s -> %s", e.getKey(), e.getValue().isEmpty() ? "(nothing)" : String.join(", ", e.getValue())))
                .collect(Collectors.joining("\n")) + "\n```\n";
    }
}
