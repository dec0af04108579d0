// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.protocol;

/** Starts proving ownership of a handle; the server normalises it. */
public record VerificationSessionRequest(String handle) {
    public VerificationSessionRequest {
        Checks.required(handle, "handle");
    }
}
