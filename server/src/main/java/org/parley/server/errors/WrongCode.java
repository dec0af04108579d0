// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.errors;

/** A wrong verification code; {@code attemptsLeft} more guesses are allowed on the session. */
public final class WrongCode extends ServiceException {
    private static final long serialVersionUID = 1L;

    private final int attemptsLeft;

    public WrongCode(String message, int attemptsLeft) {
        super("invalid_code", message);
        this.attemptsLeft = attemptsLeft;
    }

    public int attemptsLeft() {
        return attemptsLeft;
    }
}
