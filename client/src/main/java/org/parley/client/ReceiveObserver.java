// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.client;

/**
 * The steps of each envelope in {@link ParleyClient#receive}, for apps that track delivery. Called on the
 * receiving thread while the home's receive lock is held; keep it short. The crash tests stop the process
 * at each step to prove that no step can lose or repeat a message.
 */
public interface ReceiveObserver {
    ReceiveObserver NONE = new ReceiveObserver() {};

    /**
     * The envelope's outcome (a history entry, or nothing for a duplicate) is committed together with the
     * session state and the seen GUID; the ack has not been sent.
     */
    default void stored(String guid) {}

    /** The ack went out; the entry may not have been shown yet. */
    default void acknowledged(String guid) {}

    /**
     * The server cannot be reached or the connection broke, and receive is going to retry. Called once
     * per outage: again only after something was received in between.
     */
    default void reconnecting(String reason) {}
}
