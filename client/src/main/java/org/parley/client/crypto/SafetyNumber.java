// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.client.crypto;

import java.util.ArrayList;
import java.util.List;

/** A 60-digit safety number; both devices of the pair compute the same digits. */
public record SafetyNumber(String digits) {
    public static final int DIGITS = 60;
    public static final int BLOCK = 5;

    public SafetyNumber {
        if (digits == null || digits.length() != DIGITS || !digits.chars().allMatch(Character::isDigit)) {
            throw new IllegalArgumentException("a safety number is " + DIGITS + " digits");
        }
    }

    /** The twelve blocks of five digits people compare. */
    public List<String> blocks() {
        List<String> blocks = new ArrayList<>(DIGITS / BLOCK);
        for (int i = 0; i < DIGITS; i += BLOCK) {
            blocks.add(digits.substring(i, i + BLOCK));
        }
        return blocks;
    }

    /** {@code 12345 67890 …}: the blocks separated by single spaces. */
    public String grouped() {
        return String.join(" ", blocks());
    }
}
