// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.delivery;

import org.parley.server.http.AuthenticatedDevice;

/**
 * Signals between the nodes of a deployment, one channel per device: "envelopes were stored for
 * you, look at your queue" and "this device connected on some node". The database stays the source
 * of truth; a lost signal only delays delivery until the device's connection looks at its queue by
 * itself (see {@link #pushing()}).
 *
 * <p>With a single node there is nothing to fan out: {@link #local()} does nothing and the delivery
 * feature wakes its own connections directly.
 */
public interface Fanout {
    /** What the delivery feature is told about its devices' channels. */
    interface Receiver {
        /** A signal arrived on the channel of {@code device} (a device with a connection on this node). */
        void signal(AuthenticatedDevice device, String signal);

        /**
         * Signals may have been missed, or push just stopped working: every connection should look
         * at its queue now (and check {@link Fanout#pushing()} again).
         */
        void resync();
    }

    /** Starts delivering signals to {@code receiver}. Called once, before any other method. */
    void start(Receiver receiver);

    /**
     * Starts listening on {@code device}'s channel (counted: as many {@link #unlisten} calls end it).
     * Returns once the subscription is confirmed, or after a short wait when it could not be.
     */
    void listen(AuthenticatedDevice device);

    void unlisten(AuthenticatedDevice device);

    /** Sends {@code signal} to whichever node listens on {@code device}'s channel; never blocks, never throws. */
    void publish(AuthenticatedDevice device, String signal);

    /**
     * True while signals flow. When false, connections poll their queues instead (see
     * {@code DeviceConnection.DEGRADED_POLL}).
     */
    boolean pushing();

    /** The single-node fan-out: no other node to tell, so nothing to do. */
    static Fanout local() {
        return new Fanout() {
            @Override
            public void start(Receiver receiver) {}

            @Override
            public void listen(AuthenticatedDevice device) {}

            @Override
            public void unlisten(AuthenticatedDevice device) {}

            @Override
            public void publish(AuthenticatedDevice device, String signal) {}

            @Override
            public boolean pushing() {
                return true;
            }
        };
    }
}
