// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.client;

import java.time.Instant;

/**
 * A session with a contact's device was reset (session repair), instead of messages being lost
 * silently.
 *
 * @param byUs     true: a message from that device could not be decrypted, so this device archived the
 *                 session, started a new one from the device's bundle and asked it to send again; false:
 *                 that device could not decrypt a message from this one and reset the session, so a
 *                 message this device sent recently may not have arrived
 * @param handle   the contact's handle when known locally, otherwise null
 */
public record SessionResetNotice(boolean byUs, String handle, String accountId, int deviceId, Instant at)
        implements ReceiveEvent {}
