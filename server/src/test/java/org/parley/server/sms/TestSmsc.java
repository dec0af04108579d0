// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.sms;

import java.io.IOException;
import java.net.BindException;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.jsmpp.bean.BroadcastSm;
import org.jsmpp.bean.CancelBroadcastSm;
import org.jsmpp.bean.CancelSm;
import org.jsmpp.bean.DataSm;
import org.jsmpp.bean.ESMClass;
import org.jsmpp.bean.GeneralDataCoding;
import org.jsmpp.bean.GSMSpecificFeature;
import org.jsmpp.bean.MessageMode;
import org.jsmpp.bean.MessageType;
import org.jsmpp.bean.NumberingPlanIndicator;
import org.jsmpp.bean.OptionalParameter;
import org.jsmpp.bean.QueryBroadcastSm;
import org.jsmpp.bean.QuerySm;
import org.jsmpp.bean.RegisteredDelivery;
import org.jsmpp.bean.ReplaceSm;
import org.jsmpp.bean.SubmitMulti;
import org.jsmpp.bean.SubmitSm;
import org.jsmpp.bean.TypeOfNumber;
import org.jsmpp.extra.ProcessRequestException;
import org.jsmpp.session.BindRequest;
import org.jsmpp.session.BroadcastSmResult;
import org.jsmpp.session.DataSmResult;
import org.jsmpp.session.QueryBroadcastSmResult;
import org.jsmpp.session.QuerySmResult;
import org.jsmpp.session.SMPPServerSession;
import org.jsmpp.session.SMPPServerSessionListener;
import org.jsmpp.session.ServerMessageReceiverListener;
import org.jsmpp.session.ServerResponseDeliveryAdapter;
import org.jsmpp.session.Session;
import org.jsmpp.session.SubmitMultiResult;
import org.jsmpp.session.SubmitSmResult;
import org.jsmpp.util.MessageId;

/**
 * A real SMPP 3.4 SMSC for tests, on jsmpp's server side, listening on a free loopback port. It
 * accepts transceiver binds with the given credentials, records every {@code submit_sm}, and, like a
 * de-duplicating gateway, answers a part submitted again under the same client id (Parley's vendor TLV)
 * with the message id it gave the first time, without "sending" it to the handset again.
 *
 * <p>Controls for the failure tests: {@link #dropAfter} closes the session abruptly after N more
 * submits; {@link #autoReceipt} sends a delivery receipt after each accepted submit.
 */
public final class TestSmsc implements AutoCloseable {
    public static final String SYSTEM_ID = "parley";
    public static final String PASSWORD = "secret";

    /** One accepted {@code submit_sm} as the SMSC saw it. */
    public record Submit(String clientId, String messageId, String destination, byte dataCoding, byte esmClass,
                         byte[] shortMessage, byte registeredDelivery, long nanoTime) {
        public boolean udh() {
            return (esmClass & 0x40) != 0;
        }

        /** The part's text, header skipped. */
        public String text() {
            return SmsEncoder.decode(shortMessage, SmsAlphabet.ofDataCoding(dataCoding), udh());
        }
    }

    private final SMPPServerSessionListener listener;
    private final int port;
    private final Thread acceptor;
    private final List<Submit> all = new CopyOnWriteArrayList<>();
    /** What reached "the handset": one entry per distinct client id. */
    private final Map<String, Submit> handset = new ConcurrentHashMap<>();
    private final List<SMPPServerSession> sessions = new CopyOnWriteArrayList<>();
    private final AtomicInteger duplicates = new AtomicInteger();
    private final AtomicInteger binds = new AtomicInteger();
    private final AtomicLong ids = new AtomicLong();
    private final AtomicInteger dropAfter = new AtomicInteger(-1);
    private volatile Integer autoReceiptState;
    private volatile boolean closed;

    private TestSmsc(SMPPServerSessionListener listener, int port) {
        this.listener = listener;
        this.port = port;
        this.acceptor = Thread.ofPlatform().daemon().name("test-smsc-accept").start(this::acceptLoop);
    }

    /** Starts an SMSC on a free port. jsmpp's listener cannot take port 0, so a free port is found first. */
    public static TestSmsc start() {
        IOException last = null;
        for (int attempt = 0; attempt < 20; attempt++) {
            int port;
            try (ServerSocket probe = new ServerSocket(0)) {
                port = probe.getLocalPort();
            } catch (IOException e) {
                throw new IllegalStateException("no free port", e);
            }
            try {
                SMPPServerSessionListener l = new SMPPServerSessionListener(port);
                return new TestSmsc(l, port);
            } catch (BindException e) {
                last = e; // someone took it between the probe and the bind: try another
            } catch (IOException e) {
                last = e;
            }
        }
        throw new IllegalStateException("could not start the test SMSC", last);
    }

    public int port() {
        return port;
    }

    /** Configuration environment for a server that uses this SMSC (tests pass it to ConfigLoader.load). */
    public Map<String, String> env(boolean fallback, boolean codes) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("PARLEY_SMS_GATEWAY", fallback ? "smpp" : "none");
        if (codes) {
            env.put("PARLEY_VERIFICATION_SENDER", "smpp");
        }
        env.put("PARLEY_SMS_SMPP_HOST", "127.0.0.1");
        env.put("PARLEY_SMS_SMPP_PORT", Integer.toString(port));
        env.put("PARLEY_SMS_SMPP_SYSTEM_ID", SYSTEM_ID);
        env.put("PARLEY_SMS_SMPP_PASSWORD", PASSWORD);
        env.put("PARLEY_SMS_SMPP_SOURCE_ADDRESS", "Parley");
        env.put("PARLEY_SMS_SMPP_SOURCE_TON", "5");
        env.put("PARLEY_SMS_SMPP_SOURCE_NPI", "0");
        env.put("PARLEY_SMS_SMPP_RECONNECT_MIN", "PT0.1S");
        env.put("PARLEY_SMS_SMPP_RECONNECT_MAX", "PT0.5S");
        env.put("PARLEY_SMS_SMPP_RESPONSE_TIMEOUT", "PT5S");
        return env;
    }

    /** After {@code n} more accepted submits, the SMSC drops the connection without unbinding. */
    public void dropAfter(int n) {
        dropAfter.set(n);
    }

    /** Sends a receipt with SMPP message_state {@code state} (2 delivered, 5 undeliverable) after each submit; null: none. */
    public void autoReceipt(Integer state) {
        autoReceiptState = state;
    }

    public List<Submit> submits() {
        return List.copyOf(all);
    }

    /** What the handset got, de-duplicated by client id, in arrival order of the first copy. */
    public List<Submit> delivered() {
        List<Submit> out = new ArrayList<>(handset.values());
        out.sort((a, b) -> Long.compare(a.nanoTime(), b.nanoTime()));
        return out;
    }

    /** Parts that arrived again under a client id already seen (and were not delivered again). */
    public int duplicates() {
        return duplicates.get();
    }

    public int binds() {
        return binds.get();
    }

    /**
     * The texts the handset shows for {@code destination}: concatenated parts joined by their header's
     * reference and sequence, once complete.
     */
    public List<String> textsTo(String destination) {
        Map<String, String[]> partial = new LinkedHashMap<>();
        List<String> out = new ArrayList<>();
        for (Submit s : delivered()) {
            if (!s.destination().equals(destination)) {
                continue;
            }
            if (!s.udh()) {
                out.add(s.text());
                continue;
            }
            byte[] m = s.shortMessage();
            String key = s.clientId().substring(0, s.clientId().lastIndexOf('.')) + "/" + (m[3] & 0xFF);
            String[] parts = partial.computeIfAbsent(key, k -> new String[m[4] & 0xFF]);
            parts[(m[5] & 0xFF) - 1] = s.text();
            if (java.util.Arrays.stream(parts).allMatch(java.util.Objects::nonNull)) {
                out.add(String.join("", parts));
                partial.remove(key);
            }
        }
        return out;
    }

    /** Sends a delivery receipt for {@code messageId} on the current session, as TLVs and as text. */
    public void sendReceipt(String messageId, int messageState, String stat) throws Exception {
        SMPPServerSession session = sessions.getLast();
        String text = "id:" + messageId + " sub:001 dlvrd:001 submit date:2501010000 done date:2501010000 stat:" + stat
                + " err:000 text:";
        session.deliverShortMessage("", TypeOfNumber.INTERNATIONAL, NumberingPlanIndicator.ISDN, "1",
                TypeOfNumber.ALPHANUMERIC, NumberingPlanIndicator.UNKNOWN, "Parley",
                new ESMClass(MessageMode.DEFAULT, MessageType.SMSC_DEL_RECEIPT, GSMSpecificFeature.DEFAULT), (byte) 0, (byte) 0, new RegisteredDelivery(0),
                new GeneralDataCoding(), text.getBytes(java.nio.charset.StandardCharsets.US_ASCII),
                new OptionalParameter.COctetString(OptionalParameter.Tag.RECEIPTED_MESSAGE_ID.code(), messageId),
                new OptionalParameter.Byte(OptionalParameter.Tag.MESSAGE_STATE, (byte) messageState));
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                SMPPServerSession session = listener.accept();
                Thread.ofVirtual().start(() -> bind(session));
            } catch (IOException e) {
                if (!closed) {
                    continue;
                }
                return;
            }
        }
    }

    private void bind(SMPPServerSession session) {
        session.setMessageReceiverListener(new Receiver());
        session.setResponseDeliveryListener(new ServerResponseDeliveryAdapter() {
            @Override
            public void onSubmitSmRespSent(SubmitSmResult result, SMPPServerSession source) {
                Integer state = autoReceiptState;
                if (state != null) {
                    Thread.ofVirtual().start(() -> {
                        try {
                            sendReceipt(result.getMessageId(), state, state == 2 ? "DELIVRD" : "UNDELIV");
                        } catch (Exception ignored) {
                            // The session may be gone; a real SMSC would retry, this one need not.
                        }
                    });
                }
            }
        });
        try {
            BindRequest request = session.waitForBind(5_000);
            if (SYSTEM_ID.equals(request.getSystemId()) && PASSWORD.equals(request.getPassword())) {
                request.accept("testsmsc");
                sessions.add(session);
                binds.incrementAndGet();
            } else {
                request.reject(0x0000000E); // ESME_RINVPASWD
            }
        } catch (IllegalStateException | TimeoutException | IOException | org.jsmpp.PDUStringException e) {
            session.close();
        }
    }

    private final class Receiver implements ServerMessageReceiverListener {
        @Override
        public SubmitSmResult onAcceptSubmitSm(SubmitSm submit, SMPPServerSession source) throws ProcessRequestException {
            OptionalParameter tag = submit.getOptionalParameter(SmppLink.CLIENT_ID_TAG);
            String clientId = tag instanceof OptionalParameter.OctetString o ? o.getValueAsString() : "none-" + ids.get();
            Submit previous = handset.get(clientId);
            Submit s;
            if (previous != null) {
                duplicates.incrementAndGet();
                s = previous;
            } else {
                s = new Submit(clientId, "m" + ids.incrementAndGet(), submit.getDestAddress(), submit.getDataCoding(),
                        submit.getEsmClass(), submit.getShortMessage(), submit.getRegisteredDelivery(), System.nanoTime());
                handset.put(clientId, s);
            }
            all.add(s);
            if (dropAfter.get() > 0 && dropAfter.decrementAndGet() == 0) {
                // Drop after this submit reached the handset but before its response: the client never learns it went.
                source.close();
            }
            try {
                return new SubmitSmResult(new MessageId(s.messageId()), new OptionalParameter[0]);
            } catch (org.jsmpp.PDUStringException e) {
                throw new ProcessRequestException("bad message id", 0x00000008);
            }
        }

        @Override
        public SubmitMultiResult onAcceptSubmitMulti(SubmitMulti submitMulti, SMPPServerSession source) throws ProcessRequestException {
            throw new ProcessRequestException("not supported", 0x00000003);
        }

        @Override
        public QuerySmResult onAcceptQuerySm(QuerySm querySm, SMPPServerSession source) throws ProcessRequestException {
            throw new ProcessRequestException("not supported", 0x00000003);
        }

        @Override
        public void onAcceptReplaceSm(ReplaceSm replaceSm, SMPPServerSession source) throws ProcessRequestException {
            throw new ProcessRequestException("not supported", 0x00000003);
        }

        @Override
        public void onAcceptCancelSm(CancelSm cancelSm, SMPPServerSession source) throws ProcessRequestException {
            throw new ProcessRequestException("not supported", 0x00000003);
        }

        @Override
        public BroadcastSmResult onAcceptBroadcastSm(BroadcastSm broadcastSm, SMPPServerSession source) throws ProcessRequestException {
            throw new ProcessRequestException("not supported", 0x00000003);
        }

        @Override
        public void onAcceptCancelBroadcastSm(CancelBroadcastSm cancelBroadcastSm, SMPPServerSession source) throws ProcessRequestException {
            throw new ProcessRequestException("not supported", 0x00000003);
        }

        @Override
        public QueryBroadcastSmResult onAcceptQueryBroadcastSm(QueryBroadcastSm queryBroadcastSm, SMPPServerSession source) throws ProcessRequestException {
            throw new ProcessRequestException("not supported", 0x00000003);
        }

        @Override
        public DataSmResult onAcceptDataSm(DataSm dataSm, Session source) throws ProcessRequestException {
            throw new ProcessRequestException("not supported", 0x00000003);
        }
    }

    /** Drops every session at once, as a crashed SMSC or a broken network would. */
    public void dropSessions() {
        sessions.forEach(SMPPServerSession::close);
    }

    @Override
    public void close() {
        closed = true;
        sessions.forEach(SMPPServerSession::unbindAndClose);
        try {
            listener.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        try {
            acceptor.join(TimeUnit.SECONDS.toMillis(2));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Ids seen, for assertions on sets. */
    public Set<String> clientIds() {
        return Set.copyOf(handset.keySet());
    }
}
