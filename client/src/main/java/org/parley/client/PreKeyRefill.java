// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.client;

/** One-time prekeys the server had before the check, and how many of each kind were uploaded. */
public record PreKeyRefill(int preKeysBefore, int pqPreKeysBefore, int preKeysUploaded, int pqPreKeysUploaded) {
    public boolean uploaded() {
        return preKeysUploaded > 0 || pqPreKeysUploaded > 0;
    }
}
