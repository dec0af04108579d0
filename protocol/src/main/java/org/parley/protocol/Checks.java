// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.protocol;

/** Argument checks used by the compact constructors of wire records; messages name the field and the rule. */
final class Checks {
    private Checks() {}

    static <T> T required(T value, String field) {
        if (value == null) {
            throw new IllegalArgumentException(field + " is required");
        }
        return value;
    }

    static byte[] bytes(byte[] value, String field, int max) {
        required(value, field);
        if (value.length == 0 || value.length > max) {
            throw new IllegalArgumentException(field + " must be 1.." + max + " bytes, was " + value.length);
        }
        return value;
    }

    static int range(int value, String field, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(field + " must be in " + min + ".." + max + ", was " + value);
        }
        return value;
    }

    static <T> java.util.List<T> list(java.util.List<T> value, String field, int max) {
        if (value == null) {
            return java.util.List.of();
        }
        if (value.size() > max) {
            throw new IllegalArgumentException(field + " holds at most " + max + " items, had " + value.size());
        }
        for (T item : value) {
            required(item, field + " item");
        }
        return java.util.List.copyOf(value);
    }
}
