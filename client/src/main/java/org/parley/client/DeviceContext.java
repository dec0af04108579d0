// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.client;

import java.time.Clock;
import org.parley.client.crypto.SessionCrypto;
import org.parley.client.store.AccountState;
import org.parley.client.store.LocalState;
import org.parley.client.transport.ParleyApi;

/** The pieces every operation of a registered device needs, assembled once per operation. */
record DeviceContext(LocalState state, ParleyApi api, AccountState account, SessionCrypto crypto, Clock clock) {
    String accountId() {
        return account.accountId();
    }

    int deviceId() {
        return account.deviceId();
    }
}
