// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.provisioning;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.parley.protocol.Json;
import org.parley.protocol.ProvisioningFrame;
import org.parley.server.errors.NotFound;

/**
 * The provisioning sockets waiting on this node, by provisioning id. A new device opens one
 * (unauthenticated), learns its id, and shows it to a device of the account; that device sends one
 * opaque message to the id, which is handed over and the socket closed. The server keeps nothing:
 * the message goes from the request straight to the socket, and a socket lives at most {@link #TTL}.
 *
 * <p>Ids are 128 random bits, so a waiting socket cannot be found by guessing; at most
 * {@link #MAX_WAITING} wait at once, so unauthenticated sockets cannot pile up without bound.
 */
final class ProvisioningRelay implements AutoCloseable {
    /** Long enough to scan a code and confirm on the other device. */
    static final Duration TTL = Duration.ofMinutes(10);
    static final int MAX_WAITING = 1000;
    /** Normal closure after the one message; {@link #CLOSE_EXPIRED} when nobody sent one in time. */
    static final int CLOSE_DELIVERED = 1000;
    static final int CLOSE_EXPIRED = 4408;
    /** 1013 Try Again Later: too many sockets wait already. */
    static final int CLOSE_BUSY = 1013;

    /** What a waiting socket must do; the endpoint adapts Helidon's session to it. */
    interface Waiting {
        void send(String text);

        void close(int code, String reason);
    }

    private final ConcurrentMap<String, Waiting> waiting = new ConcurrentHashMap<>();
    /** Each waiting socket's expiry, cancelled when it ends earlier so no task outlives its socket. */
    private final ConcurrentMap<Waiting, ScheduledFuture<?>> expiries = new ConcurrentHashMap<>();
    private final SecureRandom random;
    private final Clock clock;
    private final ScheduledThreadPoolExecutor expiry = new ScheduledThreadPoolExecutor(1, r -> {
        Thread t = new Thread(r, "provisioning-expiry");
        t.setDaemon(true);
        return t;
    });

    ProvisioningRelay(SecureRandom random, Clock clock, MeterRegistry meters) {
        this.random = random;
        this.clock = clock;
        expiry.setRemoveOnCancelPolicy(true);
        Gauge.builder("parley.provisioning.waiting", waiting, ConcurrentMap::size)
                .description("Provisioning sockets waiting for their message").register(meters);
    }

    /** Registers a newly opened socket and sends it its address; empty (and the socket closed) when full. */
    Optional<String> open(Waiting socket) {
        if (waiting.size() >= MAX_WAITING) {
            socket.close(CLOSE_BUSY, "too many devices are linking right now; try again in a minute");
            return Optional.empty();
        }
        String id = newId();
        waiting.put(id, socket);
        long expiresAt = clock.millis() + TTL.toMillis();
        socket.send(json(new ProvisioningFrame.Address(id, expiresAt)));
        expiries.put(socket, expiry.schedule(() -> {
            expiries.remove(socket);
            if (waiting.remove(id, socket)) {
                quietly(() -> socket.close(CLOSE_EXPIRED, "no device sent a provisioning message in time"));
            }
        }, TTL.toMillis(), TimeUnit.MILLISECONDS));
        return Optional.of(id);
    }

    /** Hands {@code body} to the socket waiting under {@code id} and closes it; one message per socket. */
    void deliver(String id, byte[] body) {
        Waiting socket = id == null ? null : waiting.remove(id);
        cancelExpiry(socket);
        if (socket == null) {
            throw new NotFound("no device is waiting under this provisioning id (it expired, was used, or waits on"
                    + " another server node)");
        }
        try {
            socket.send(json(new ProvisioningFrame.Message(body)));
        } catch (RuntimeException e) {
            // The connection broke without a close frame: nobody is waiting any more.
            throw new NotFound("the new device is no longer waiting under this provisioning id");
        }
        quietly(() -> socket.close(CLOSE_DELIVERED, "delivered"));
    }

    /** Closing a connection that already broke fails; there is nothing left to tell it. */
    private static void quietly(Runnable close) {
        try {
            close.run();
        } catch (RuntimeException e) {
            System.getLogger(ProvisioningRelay.class.getName()).log(System.Logger.Level.DEBUG,
                    "provisioning socket already gone: " + e.getClass().getSimpleName());
        }
    }

    /** The socket closed (or broke) before a message came. */
    void closed(String id, Waiting socket) {
        if (id != null && waiting.remove(id, socket)) {
            cancelExpiry(socket);
        }
    }

    private void cancelExpiry(Waiting socket) {
        ScheduledFuture<?> pending = socket == null ? null : expiries.remove(socket);
        if (pending != null) {
            pending.cancel(false);
        }
    }

    int waitingCount() {
        return waiting.size();
    }

    private String newId() {
        byte[] bytes = new byte[16];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static String json(ProvisioningFrame frame) {
        try {
            return Json.lenient().writerFor(ProvisioningFrame.class).writeValueAsString(frame);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode a provisioning frame", e);
        }
    }

    @Override
    public void close() {
        expiry.shutdownNow();
        waiting.forEach((id, socket) -> quietly(() -> socket.close(1001, "server shutting down")));
        waiting.clear();
    }
}
