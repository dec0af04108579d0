// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.client.store;

import org.signal.libsignal.protocol.IdentityKey;

/**
 * A remote device presented an identity key other than the one trusted on first use. Parley accepts the
 * new key (a reinstall looks exactly like this) but keeps the change so a user interface can warn.
 *
 * @param name the libsignal address name, which in Parley is the remote account id
 */
public record IdentityKeyChange(long id, String name, int deviceId, IdentityKey oldKey, IdentityKey newKey, long changedAt) {}
