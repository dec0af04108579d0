// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.protocol;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Validates and normalises handles: E.164 phone numbers through libphonenumber, email addresses by
 * trimming and lower-casing. Normalising before every store and every comparison is what makes
 * {@code +1 (202) 555-0143} and {@code +12025550143} one account and one lookup-log subject.
 */
public final class Handles {
    private static final PhoneNumberUtil PHONES = PhoneNumberUtil.getInstance();
    private static final int MAX_EMAIL = 254;
    private static final int MAX_LOCAL_PART = 64;
    /** Deliberately plain: one @, no spaces or control characters, a dotted domain of label characters. */
    private static final Pattern EMAIL = Pattern.compile(
            "[^\\s@\\p{Cntrl}\"<>(),;:\\[\\]\\\\]+@[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+");

    private Handles() {}

    /** The kind of a normalised handle. */
    public enum Kind { PHONE, EMAIL }

    /**
     * Returns the canonical form of {@code raw}.
     *
     * @throws InvalidHandleException naming the input and the rule it broke
     */
    public static String normalize(String raw) {
        if (raw == null || raw.isBlank()) {
            throw new InvalidHandleException("a handle is required: an E.164 phone number such as +12025550143 or an email address");
        }
        String trimmed = raw.strip();
        if (trimmed.length() > MAX_EMAIL) {
            throw new InvalidHandleException("a handle is at most " + MAX_EMAIL + " characters");
        }
        return trimmed.contains("@") ? normalizeEmail(trimmed) : normalizePhone(trimmed);
    }

    /** Like {@link #normalize} but answers whether the input is valid instead of throwing. */
    public static boolean isValid(String raw) {
        try {
            normalize(raw);
            return true;
        } catch (InvalidHandleException e) {
            return false;
        }
    }

    public static Kind kind(String normalized) {
        return normalized.startsWith("+") ? Kind.PHONE : Kind.EMAIL;
    }

    private static String normalizePhone(String raw) {
        if (!raw.startsWith("+")) {
            throw new InvalidHandleException("phone numbers must be in international form starting with +, e.g. +12025550143");
        }
        PhoneNumber number;
        try {
            number = PHONES.parse(raw, "ZZ");
        } catch (NumberParseException e) {
            throw new InvalidHandleException("not a phone number: " + e.getMessage());
        }
        if (!PHONES.isPossibleNumber(number)) {
            throw new InvalidHandleException("not a possible phone number for its country code");
        }
        return PHONES.format(number, PhoneNumberUtil.PhoneNumberFormat.E164);
    }

    private static String normalizeEmail(String raw) {
        String lower = raw.toLowerCase(Locale.ROOT);
        int at = lower.indexOf('@');
        if (at != lower.lastIndexOf('@') || at == 0 || at > MAX_LOCAL_PART) {
            throw new InvalidHandleException("an email address needs one @ and a local part of 1.." + MAX_LOCAL_PART + " characters");
        }
        if (!EMAIL.matcher(lower).matches()) {
            throw new InvalidHandleException("not a valid email address; expected name@example.org");
        }
        return lower;
    }
}
