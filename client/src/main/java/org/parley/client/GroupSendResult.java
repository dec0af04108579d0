// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.client;

/**
 * A group message committed to the queues of {@code devices} devices of {@code accounts} other members
 * (our own other devices counted in {@code devices}); {@code sealedAccounts} of those members got it
 * sealed (the server did not learn the sender), the others identified.
 */
public record GroupSendResult(String groupId, String groupName, int accounts, int devices, long sentAt,
                              long serverTimestamp, int sealedAccounts) {}
