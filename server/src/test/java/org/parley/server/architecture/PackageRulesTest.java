// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import java.util.List;
import org.parley.testing.PackageSlices;

/**
 * The package rules of docs/architecture.md (section Packages), on the server's production classes.
 * A feature can be read, tested and replaced alone only while these hold.
 */
@AnalyzeClasses(packages = "org.parley.server", importOptions = ImportOption.DoNotIncludeTests.class)
class PackageRulesTest {
    private static final List<String> EDGE_PACKAGES = List.of("org.parley.server", "org.parley.server.http",
            "org.parley.server.feature", "org.parley.server.observe", "org.parley.server.http.websocket");
    private static final List<String> EDGE_SUFFIXES = List.of("Feature", "Routes", "Handlers", "Handler", "Endpoint");
    /** A class (or a class nested in one) of the HTTP edge. */
    private static final DescribedPredicate<JavaClass> EDGE = DescribedPredicate.describe("HTTP edge classes",
            c -> {
                String topLevel = c.getName().substring(c.getPackageName().length() + 1).split("\\$")[0];
                return EDGE_PACKAGES.contains(c.getPackageName()) || EDGE_SUFFIXES.stream().anyMatch(topLevel::endsWith);
            });

    /** No import cycle between packages: every feature, platform package and the wiring is a slice. */
    @ArchTest
    static final ArchRule packages_anyTwo_formNoCycle = slices()
            .assignedFrom(new PackageSlices("org.parley.server"))
            .should().beFreeOfCycles();

    /** Storage speaks our types only: SQL classes never see HTTP. */
    @ArchTest
    static final ArchRule jdbcClasses_helidon_notImported = noClasses()
            .that().haveSimpleNameStartingWith("Jdbc")
            .should().dependOnClassesThat().resideInAPackage("io.helidon..");

    /**
     * HTTP stays at the edge: services throw domain exceptions (package errors) and never see
     * Helidon. Only the wiring, the http and feature platform packages, the metrics filter (observe)
     * and each feature's edge classes (*Feature, *Routes, *Handlers, *Handler, *Endpoint) may.
     */
    @ArchTest
    static final ArchRule helidon_outsideTheEdge_notImported = noClasses()
            .that(DescribedPredicate.not(EDGE))
            .should().dependOnClassesThat().resideInAPackage("io.helidon..");

    /** SQL lives in each feature's Jdbc* classes and in the storage package, nowhere else. */
    @ArchTest
    static final ArchRule sql_outsideJdbcClassesAndStorage_notUsed = noClasses()
            .that().haveSimpleNameNotStartingWith("Jdbc")
            .and().resideOutsideOfPackage("org.parley.server.storage..")
            .should().dependOnClassesThat().resideInAPackage("java.sql..");

    /**
     * A feature's data only through its owner's public API: another package never reaches a
     * feature's SQL classes (the tables they hide are checked by {@link TableOwnershipTest}).
     */
    @ArchTest
    static final ArchRule jdbcClasses_fromAnotherPackage_notAccessed = classes()
            .that().haveSimpleNameStartingWith("Jdbc")
            .should(onlyBeAccessedFromTheirOwnPackage());

    static ArchCondition<JavaClass> onlyBeAccessedFromTheirOwnPackage() {
        return new ArchCondition<>("only be accessed from their own package") {
            @Override
            public void check(JavaClass item, ConditionEvents events) {
                for (Dependency d : item.getDirectDependenciesToSelf()) {
                    if (!d.getOriginClass().getPackageName().equals(item.getPackageName())) {
                        events.add(SimpleConditionEvent.violated(d, d.getDescription()));
                    }
                }
            }
        };
    }
}
