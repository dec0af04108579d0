// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.delivery;

import io.micrometer.core.instrument.Counter;
import java.util.concurrent.Semaphore;
import java.util.function.Consumer;
import org.parley.protocol.Frame;
import org.parley.protocol.SendMessageResponse;
import org.parley.server.http.AuthenticatedDevice;
import org.parley.server.http.ErrorMapping;
import org.parley.server.messages.Sends;

/**
 * The {@code send} frames of one delivery WebSocket: each runs on its own virtual thread through
 * the same {@link Sends} service as {@code PUT /v1/messages}, and its {@code send-result} is written
 * once the service returns, that is after the envelopes are committed.
 *
 * <p>Flow control: at most {@value #MAX_IN_FLIGHT} sends of one connection are in progress. The
 * next {@code send} frame blocks the connection's reading thread until one finishes, so the
 * client's further frames wait in TCP buffers and the client's writes slow down: backpressure
 * without refusing anything and without closing the connection. Answers may come out of order;
 * the client matches them by id.
 */
final class SocketSends {
    static final int MAX_IN_FLIGHT = 64;

    private final AuthenticatedDevice device;
    private final Sends sends;
    private final Consumer<Frame.SendResult> answer;
    private final Semaphore slots = new Semaphore(MAX_IN_FLIGHT);
    private final Counter answered;

    /** {@code answer} writes one answer frame; it must not throw when the connection is gone. */
    SocketSends(AuthenticatedDevice device, Sends sends, Consumer<Frame.SendResult> answer, Counter answered) {
        this.device = device;
        this.sends = sends;
        this.answer = answer;
        this.answered = answered;
    }

    /** Starts {@code send}; blocks while {@value #MAX_IN_FLIGHT} sends of this connection are running. */
    void submit(Frame.Send send) {
        slots.acquireUninterruptibly();
        try {
            Thread.ofVirtual().name("parley-ws-send").start(() -> run(send));
        } catch (RuntimeException | Error e) {
            slots.release();
            throw e;
        }
    }

    /** Answers a {@code send} frame that carried a usable id but no valid send. */
    void invalid(String id, String message) {
        answer.accept(ErrorMapping.sendInvalid(id, message));
    }

    private void run(Frame.Send send) {
        Frame.SendResult result;
        try {
            if (sends == null) {
                throw new IllegalStateException("no send service is wired to the delivery WebSocket");
            }
            SendMessageResponse response = sends.send(device, send.destination(), send.message());
            result = ErrorMapping.sendAccepted(send.id(), response);
        } catch (RuntimeException e) {
            result = ErrorMapping.sendFailed(send.id(), e);
        } finally {
            slots.release();
        }
        answered.increment();
        answer.accept(result);
    }
}
