// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.client;

import java.time.Duration;
import java.time.Instant;

/**
 * This device's prekeys as {@code parley keys status} shows them.
 *
 * @param signedPreKeyId        the signed prekey the server hands out
 * @param signedPreKeyCreatedAt when it was made (the last-resort Kyber key is rotated with it)
 * @param signedPreKeyAge       how old it is now
 * @param rotationInterval      the age at which the next send or receive replaces it
 * @param replacedKeysKept      replaced signed and last-resort keys still held for their grace period
 * @param gracePeriod           how long a replaced key is kept after its replacement
 * @param preKeysOnServer       one-time EC prekeys the server has left for this device
 * @param pqPreKeysOnServer     one-time Kyber prekeys the server has left for this device
 */
public record KeyStatus(int signedPreKeyId, Instant signedPreKeyCreatedAt, Duration signedPreKeyAge,
                        Duration rotationInterval, int replacedKeysKept, Duration gracePeriod, int preKeysOnServer,
                        int pqPreKeysOnServer) {}
