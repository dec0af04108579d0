// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.sealedsender;

import java.util.Optional;

/** Each account's unidentified access key and whether it accepts sealed sends without it. */
interface AccessKeyStore {
    /** An account's setting; {@code accessKey} is 16 bytes. */
    record AccessKey(byte[] accessKey, boolean unrestricted) {}

    Optional<AccessKey> find(String accountId);

    /** Replaces the account's key and setting. */
    void put(String accountId, AccessKey key, long now);
}
