// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.client;

import java.net.URI;

/**
 * This home is now device {@code deviceId} of account {@code accountId}. {@code preKeysUploaded} one-time
 * keys of each kind reached the server; when that failed, {@code preKeyUploadError} says why (the
 * registration stands and the next receive retries the upload).
 */
public record Registration(URI serverUrl, String handle, String accountId, int deviceId, int preKeysUploaded,
                           String preKeyUploadError) {}
