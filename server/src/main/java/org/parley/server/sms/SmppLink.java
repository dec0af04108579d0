// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.sms;

import java.io.IOException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.jsmpp.InvalidResponseException;
import org.jsmpp.PDUException;
import org.jsmpp.bean.BindType;
import org.jsmpp.bean.ESMClass;
import org.jsmpp.bean.NumberingPlanIndicator;
import org.jsmpp.bean.OptionalParameter;
import org.jsmpp.bean.RawDataCoding;
import org.jsmpp.bean.RegisteredDelivery;
import org.jsmpp.bean.SMSCDeliveryReceipt;
import org.jsmpp.bean.TypeOfNumber;
import org.jsmpp.extra.NegativeResponseException;
import org.jsmpp.extra.ResponseTimeoutException;
import org.jsmpp.extra.SessionState;
import org.jsmpp.session.BindParameter;
import org.jsmpp.session.SMPPSession;
import org.jsmpp.session.connection.ConnectionFactory;
import org.jsmpp.session.connection.socket.SSLSocketConnectionFactory;
import org.jsmpp.session.connection.socket.SocketConnectionFactory;

/**
 * One SMPP 3.4 transceiver bind to the gateway, kept up by its own thread: bind, keep alive with
 * {@code enquire_link} (jsmpp sends one whenever the link was idle for {@code sms.smpp.enquire-link}),
 * and when the session drops or a bind fails, bind again after a back-off that doubles from
 * {@code reconnect-min} to {@code reconnect-max}.
 *
 * <p>{@link #submit} is plain blocking code for virtual threads: it waits for a window slot (at most
 * {@code window} submits awaiting their response) and for its turn under the rate limit, then sends
 * one {@code submit_sm} and waits for its response.
 */
final class SmppLink implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(SmppLink.class.getName());
    /**
     * Vendor-specific TLV (SMPP 3.4, 5.3.2: 0x1400-0x3FFF) carrying the part's client message id, so a
     * gateway that de-duplicates can recognise a part submitted again after a lost response.
     */
    static final short CLIENT_ID_TAG = 0x1501;
    /**
     * jsmpp logs every connect, bind and socket event at INFO, and PDUs at DEBUG (numbers and texts):
     * held at WARNING so nothing identifying can reach the log. Kept here because java.util.logging
     * holds loggers only weakly.
     */
    private static final java.util.logging.Logger JSMPP_LOG = java.util.logging.Logger.getLogger("org.jsmpp");

    static {
        JSMPP_LOG.setLevel(java.util.logging.Level.WARNING);
    }

    /** A part as it goes out. */
    record Part(String clientId, String destination, SmsAlphabet alphabet, boolean concatenated, byte[] shortMessage) {}

    /** The gateway answered a submit with an error status. */
    static final class Refused extends Exception {
        private static final long serialVersionUID = 1L;
        final int status;

        Refused(int status) {
            super("gateway refused the submit with command_status 0x" + String.format("%08X", status), null, false, false);
            this.status = status;
        }

        /** Throttling or a full queue at the gateway: try again later, not a verdict on the message. */
        boolean transient_() {
            return status == 0x58 /* ESME_RTHROTTLED */ || status == 0x14 /* ESME_RMSGQFUL */
                    || status == 0x08 /* ESME_RSYSERR */ || status == 0x64 /* ESME_RX_T_APPN */;
        }
    }

    /** No bind (now), or the link broke while the submit waited: the part stays queued. */
    static final class Unavailable extends Exception {
        private static final long serialVersionUID = 1L;

        Unavailable(String message) {
            super(message, null, false, false);
        }
    }

    private final SmsConfig.Smpp config;
    private final ReceiptHandler receipts;
    private final SmsMetrics metrics;
    private final Pacer pacer;
    private final Semaphore window;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition stateChanged = lock.newCondition();
    private final Thread keeper;
    private volatile SMPPSession session;
    private volatile boolean closed;
    private volatile Runnable onBound = () -> {};

    SmppLink(SmsConfig.Smpp config, ReceiptHandler receipts, SmsMetrics metrics) {
        this.config = config;
        this.receipts = receipts;
        this.metrics = metrics;
        this.pacer = new Pacer(config.submitsPerSecond());
        this.window = new Semaphore(config.window(), true);
        this.keeper = Thread.ofPlatform().name("parley-smpp-link").daemon().unstarted(this::keepBound);
    }

    /** Starts binding; {@code onBound} runs (on the link's thread) after every successful bind. */
    void start(Runnable onBound) {
        this.onBound = onBound;
        keeper.start();
    }

    boolean bound() {
        SMPPSession s = session;
        return s != null && s.getSessionState().isBound();
    }

    /** Waits up to {@code millis} for a bind; true when bound. */
    boolean awaitBound(long millis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        lock.lock();
        try {
            while (!bound() && !closed) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                stateChanged.awaitNanos(left);
            }
            return bound();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Submits one part and returns the gateway's message id for it.
     *
     * @throws Unavailable when there is no bind or it broke (the part may or may not have arrived)
     * @throws Refused     when the gateway answered with an error status
     */
    String submit(Part part) throws Unavailable, Refused, InterruptedException {
        if (!window.tryAcquire()) {
            metrics.windowFull();
            window.acquire();
        }
        try {
            if (pacer.await()) {
                metrics.throttled();
            }
            SMPPSession s = session;
            if (s == null || !s.getSessionState().isBound()) {
                throw new Unavailable("not bound to the SMPP gateway");
            }
            try {
                var result = s.submitShortMessage(config.systemType(),
                        TypeOfNumber.valueOf(config.sourceTon()), NumberingPlanIndicator.valueOf(config.sourceNpi()),
                        config.sourceAddress(),
                        TypeOfNumber.valueOf(config.destTon()), NumberingPlanIndicator.valueOf(config.destNpi()),
                        part.destination(),
                        new ESMClass(part.concatenated() ? 0x40 : 0x00), (byte) 0, (byte) 1, null, null,
                        new RegisteredDelivery(SMSCDeliveryReceipt.SUCCESS_FAILURE), (byte) 0,
                        new RawDataCoding(part.alphabet().dataCoding()), (byte) 0, part.shortMessage(),
                        new OptionalParameter.OctetString(CLIENT_ID_TAG, part.clientId()));
                metrics.submitted();
                return result.getMessageId();
            } catch (NegativeResponseException e) {
                metrics.refused();
                throw new Refused(e.getCommandStatus());
            } catch (ResponseTimeoutException | IOException | InvalidResponseException e) {
                throw new Unavailable("the submit did not complete: " + e.getClass().getSimpleName());
            } catch (PDUException e) {
                // Our own PDU is malformed (e.g. a source address too long): no retry can fix it.
                metrics.refused();
                throw new Refused(0x00000001);
            }
        } finally {
            window.release();
        }
    }

    private void keepBound() {
        long backoff = config.reconnectMin().toMillis();
        boolean everBound = false;
        while (!closed) {
            SMPPSession s = new SMPPSession(connections());
            s.setEnquireLinkTimer((int) Math.min(Integer.MAX_VALUE, config.enquireLink().toMillis()));
            s.setTransactionTimer(config.responseTimeout().toMillis());
            s.setMessageReceiverListener(receipts);
            s.addSessionStateListener((newState, oldState, source) -> signal());
            try {
                s.connectAndBind(config.host(), config.port(), new BindParameter(BindType.BIND_TRX, config.systemId(),
                        config.password(), config.systemType(), TypeOfNumber.UNKNOWN, NumberingPlanIndicator.UNKNOWN,
                        null), config.responseTimeout().toMillis());
            } catch (IOException e) {
                s.close();
                metrics.bindFailed();
                // The host name may be private; the exception class and the configured port say enough.
                LOG.log(System.Logger.Level.WARNING, "SMPP bind failed (" + e.getClass().getSimpleName() + ": "
                        + e.getMessage() + "); retrying in " + backoff + " ms");
                if (!sleep(backoff)) {
                    return;
                }
                backoff = Math.min(backoff * 2, config.reconnectMax().toMillis());
                continue;
            }
            if (everBound) {
                metrics.reconnected();
            }
            everBound = true;
            backoff = config.reconnectMin().toMillis();
            session = s;
            LOG.log(System.Logger.Level.INFO, "SMPP transceiver bound (" + (config.tls() ? "TLS" : "plain TCP") + ")");
            signal();
            onBound.run();
            waitWhileBound(s);
            session = null;
            s.close();
            if (!closed) {
                LOG.log(System.Logger.Level.WARNING, "SMPP session lost; binding again");
            }
        }
    }

    private ConnectionFactory connections() {
        return config.tls() ? SSLSocketConnectionFactory.getInstance() : SocketConnectionFactory.getInstance();
    }

    private void waitWhileBound(SMPPSession s) {
        lock.lock();
        try {
            while (!closed && s.getSessionState().isBound()) {
                stateChanged.await(1, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            lock.unlock();
        }
    }

    private boolean sleep(long millis) {
        lock.lock();
        try {
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
            while (!closed) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return true;
                }
                stateChanged.awaitNanos(left);
            }
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } finally {
            lock.unlock();
        }
    }

    private void signal() {
        lock.lock();
        try {
            stateChanged.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Unbinds and stops reconnecting. */
    @Override
    public void close() {
        closed = true;
        signal();
        SMPPSession s = session;
        if (s != null && s.getSessionState() != SessionState.CLOSED) {
            s.unbindAndClose();
        }
        try {
            keeper.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
