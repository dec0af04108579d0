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

    /** Digits and the separators people write between them. */
    private static final Pattern PHONE_CHARS = Pattern.compile("[0-9 ().\\-]*");
    /** The same with at least one digit: a number written without its +. */
    private static final Pattern PHONE_LIKE = Pattern.compile("[0-9 ().\\-]*[0-9][0-9 ().\\-]*");
    private static final String E164 = "an E.164 number is +, the country code and the national number,"
            + " e.g. +12025550143 (US) or +442079460958 (UK)";

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
            throw new InvalidHandleException("a handle is required: an E.164 phone number such as +12025550143 or an"
                    + " email address such as alice@example.org");
        }
        String trimmed = raw.strip();
        if (trimmed.length() > MAX_EMAIL) {
            throw new InvalidHandleException("a handle is at most " + MAX_EMAIL + " characters; this one has " + trimmed.length());
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
            throw new InvalidHandleException(PHONE_LIKE.matcher(raw).matches()
                    ? "a phone number needs + and its country code (E.164), e.g. +12025550143 for a US number"
                    : "neither an E.164 phone number nor an email address; use a phone number with + and the"
                            + " country code such as +12025550143, or an email address such as alice@example.org");
        }
        PhoneNumber number;
        try {
            number = PHONES.parse(raw, "ZZ");
        } catch (NumberParseException e) {
            // libphonenumber's own sentences ("The string supplied did not seem to be a phone number.")
            // name neither the rule nor the fix, so each kind of failure gets ours.
            throw new InvalidHandleException(switch (e.getErrorType()) {
                case INVALID_COUNTRY_CODE -> "the digits after + do not start with a country code; " + E164;
                case TOO_LONG -> "too long for a phone number: E.164 numbers have at most 15 digits, e.g. +12025550143";
                default -> PHONE_CHARS.matcher(raw.substring(1)).matches()
                        ? "too short for a phone number; " + E164
                        : "a phone number has only digits after the + (spaces, dashes, dots and brackets may"
                                + " separate them), e.g. +1 202-555-0143";
            });
        }
        PhoneNumberUtil.ValidationResult possible = PHONES.isPossibleNumberWithReason(number);
        if (possible != PhoneNumberUtil.ValidationResult.IS_POSSIBLE) {
            String cc = "+" + number.getCountryCode();
            throw new InvalidHandleException(switch (possible) {
                case TOO_SHORT -> "too few digits for a phone number with country code " + cc + "; " + E164;
                case TOO_LONG -> "too many digits for a phone number with country code " + cc + "; " + E164;
                default -> "not a possible phone number for country code " + cc + "; " + E164;
            });
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
