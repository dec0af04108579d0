// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.testing;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;

/**
 * One slice per package directly under {@code prefix} (a feature, or a platform package such as
 * storage), and one for the classes of {@code prefix} itself: the wiring. Unlike the pattern
 * {@code prefix.(*)..}, the wiring is a slice too, so a feature importing it is a cycle.
 */
public record PackageSlices(String prefix) implements SliceAssignment {
    public static final String ROOT = "(root)";

    @Override
    public SliceIdentifier getIdentifierOf(JavaClass javaClass) {
        String name = name(javaClass.getPackageName());
        return name == null ? SliceIdentifier.ignore() : SliceIdentifier.of(name);
    }

    /** The slice of a package: its first segment under the prefix, the root, or null when outside. */
    public String name(String packageName) {
        if (packageName.equals(prefix)) {
            return ROOT;
        }
        if (!packageName.startsWith(prefix + ".")) {
            return null;
        }
        String rest = packageName.substring(prefix.length() + 1);
        int dot = rest.indexOf('.');
        return dot < 0 ? rest : rest.substring(0, dot);
    }

    @Override
    public String getDescription() {
        return "the packages under " + prefix + " (the root package is the slice " + ROOT + ")";
    }
}
