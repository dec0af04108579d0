// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.protocol;

import java.util.List;

/** Refills one-time keys and optionally rotates the signed prekeys; every field may be absent. */
public record KeyUploadRequest(
        List<PreKey> preKeys,
        List<SignedPreKey> pqPreKeys,
        SignedPreKey signedPreKey,
        SignedPreKey pqLastResortPreKey) {
    public KeyUploadRequest {
        preKeys = Checks.list(preKeys, "preKeys", Limits.MAX_KEYS_PER_UPLOAD);
        pqPreKeys = Checks.list(pqPreKeys, "pqPreKeys", Limits.MAX_KEYS_PER_UPLOAD);
    }
}
