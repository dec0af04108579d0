// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.errors;

/** A key whose signature does not verify against the device's identity key. */
public final class InvalidSignature extends ServiceException {
    private static final long serialVersionUID = 1L;

    public InvalidSignature(String message) {
        super("invalid_signature", message);
    }
}
