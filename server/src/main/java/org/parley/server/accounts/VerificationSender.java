// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.accounts;

/**
 * Delivers a verification code to the owner of a handle (SMS, email, a console in development).
 * Called synchronously while the client waits for {@code POST /v1/verification/sessions}.
 */
@FunctionalInterface
public interface VerificationSender {
    /**
     * Sends {@code code} to {@code handle} (normalised).
     *
     * @throws org.parley.server.errors.SenderFailed when the code could not be handed on
     */
    void send(String handle, String code);

    /**
     * As {@link #send(String, String)}, knowing the address of the client that asked (null when unknown),
     * for senders that rate-limit or log per client address.
     */
    default void send(String handle, String code, java.net.InetAddress client) {
        send(handle, code);
    }
}
