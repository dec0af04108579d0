// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.client.architecture;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import org.parley.testing.PackageSlices;

/** The client library's packages import each other without cycles (docs/architecture.md, Packages). */
@AnalyzeClasses(packages = "org.parley.client", importOptions = ImportOption.DoNotIncludeTests.class)
class PackageRulesTest {
    /** The facade (the root package), crypto, store, transport and error: no two import each other. */
    @ArchTest
    static final ArchRule packages_anyTwo_formNoCycle = slices()
            .assignedFrom(new PackageSlices("org.parley.client"))
            .should().beFreeOfCycles();
}
