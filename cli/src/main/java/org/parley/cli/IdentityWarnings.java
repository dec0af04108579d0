// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.cli;

import org.parley.client.IdentityChangeNotice;

/** The one wording for "a contact's identity key changed", shared by send and receive. */
final class IdentityWarnings {
    private IdentityWarnings() {}

    static String describe(IdentityChangeNotice change) {
        String who = change.handle() != null ? change.handle() : "account " + change.accountId();
        String command = change.handle() != null ? change.handle() : "HANDLE";
        return "the identity key of " + who + " device " + change.deviceId() + " changed (reinstall or new phone?);"
                + " compare the new safety number: parley safety-number " + command;
    }
}
