// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.client;

import org.parley.client.error.ParleyTransportException;
import java.util.UUID;
import org.parley.client.transport.ParleyApi;
import org.parley.protocol.Handles;
import org.parley.protocol.InvalidHandleException;
import org.parley.protocol.SmsSendRequest;
import org.parley.protocol.SmsSettings;
import org.parley.protocol.SmsStatus;

/**
 * SMS fallback: a plain SMS through the server's gateway to a phone number that is not on Parley.
 * <strong>Not end-to-end encrypted</strong>: the server operator, the SMS gateway and the mobile
 * carriers can read the text. Every method needs a registered device.
 */
public final class SmsClient {
    private final ParleyApi api;

    SmsClient(ParleyApi api) {
        this.api = api;
    }

    /**
     * Queues {@code text} for {@code phoneNumber}. A fresh client message id makes a retry of this call
     * (after a timeout) the same SMS on the server rather than a second one.
     *
     * @throws IllegalArgumentException when {@code phoneNumber} is not a phone number
     */
    public SmsStatus send(String phoneNumber, String text) {
        String to;
        try {
            to = Handles.normalize(phoneNumber);
        } catch (InvalidHandleException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        if (Handles.kind(to) != Handles.Kind.PHONE) {
            throw new IllegalArgumentException(to + " is not a phone number; SMS reaches phone numbers only");
        }
        SmsSendRequest request = new SmsSendRequest(to, text, UUID.randomUUID().toString());
        try {
            return api.sendSms(request);
        } catch (ParleyTransportException e) {
            // Same id: if the first attempt arrived, the server answers with that SMS instead of sending another.
            return api.sendSms(request);
        }
    }

    public SmsStatus status(String id) {
        return api.smsStatus(id);
    }

    /** Turns SMS fallback on or off for this account; answers the account's and the server's setting. */
    public SmsSettings enable(boolean enabled) {
        return api.setSms(enabled);
    }

    public SmsSettings settings() {
        return api.smsSettings();
    }
}
